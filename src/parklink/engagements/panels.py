"""Engagements' sections on other apps' pages: an enterprise's (who met it last, other agencies'
recent visits, the user's own records with it) and a project's (its engagements)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from parklink.core.views import authenticated
from parklink.engagements import queries
from parklink.engagements.services import coordination


def enterprise_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any] | None:
    user = authenticated(request)
    records = list(
        queries.visible_engagements(user)
        .filter(enterprises=enterprise)
        .select_related("owner")
        .order_by("-held_on", "-pk")[:10]
    )
    contacts = list(queries.visible_contacts(user).filter(enterprise=enterprise)[:20])
    return {
        "enterprise": enterprise,
        "briefing": coordination.briefing(user, enterprise.pk),
        "records": records,
        "contacts": contacts,
        "can_record": user.can_write,
    }


def project_panel(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    user = authenticated(request)
    records = list(
        queries.visible_engagements(user)
        .filter(Q(projects=project) | Q(signed_projects=project))
        .distinct()
        .select_related("owner")
        .order_by("-held_on", "-pk")[:20]
    )
    return {"project": project, "records": records, "can_record": user.can_write}
