"""The projects' background tasks (django-tasks): the dashboard recomputed after a write."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from parklink.accounts.models import User
from parklink.projects import dashboard


@task()
def refresh_dashboard(user_id: int, language: str, day: str) -> bool:
    """Recompute the dashboard figures of the scope `user_id` sees (dashboard.refresh).

    Whether it ran: a user deleted since the request has no scope to compute.
    """
    user = User.objects.select_related("organization__region").filter(pk=user_id).first()
    if user is None:
        return False
    dashboard.refresh(user, language, date.fromisoformat(day))
    return True
