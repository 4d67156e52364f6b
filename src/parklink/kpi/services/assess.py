"""Assessments: a scheme version applied to organisations' figures and targets, stored.

`assess` computes the figures of every organisation at once (`actuals.figures`), scores
them, ranks them, gives each its 三类三色 standing and stores the lot with the figures and
targets used. `replay` recomputes a stored assessment from what it stored and the scheme
version it used: the same result, whatever changed since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.core.errors import Invalid
from parklink.kpi.engine import scoring
from parklink.kpi.engine.periods import Period
from parklink.kpi.engine.scheme import Scheme
from parklink.kpi.models import Assessment, SchemeVersion
from parklink.kpi.queries import assessable
from parklink.kpi.services import actuals
from parklink.kpi.services.schemes import scheme_of
from parklink.kpi.services.targets import targets_for


def _json(figures: dict[str, Decimal]) -> dict[str, str]:
    return {name: str(value) for name, value in figures.items()}


def _decimals(data: dict[str, Any]) -> dict[str, Decimal]:
    return {name: Decimal(value) for name, value in data.items()}


def needs_year_to_date(scheme: Scheme) -> bool:
    return any(item.window == "year_to_date" for item in scheme.items)


def year_to_date(period: Period) -> Period:
    return Period(
        date(period.start.year, 1, 1), period.end, f"{period.start.year}至{period.label}", "ytd"
    )


def uses_introduced(scheme: Scheme) -> bool:
    from parklink.kpi.engine import formula

    for item in scheme.items:
        names = {item.metric} | formula.variables(item.formula) | formula.variables(item.rule)
        if "introduced" in names:
            return True
    return False


@dataclass
class Scored:
    organization: Organization
    figures: dict[str, Decimal]
    year_to_date: dict[str, Decimal] | None
    targets: dict[str, Decimal]
    result: scoring.Result


def compute(
    user: User, version: SchemeVersion, period: Period, orgs: Iterable[Organization]
) -> list[Scored]:
    """Every organisation's score, best first (nothing stored)."""
    scheme = scheme_of(version)
    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    need = uses_introduced(scheme)
    found = actuals.figures(user, ids, period, scheme, need_introduced=need)
    ytd = (
        actuals.figures(user, ids, year_to_date(period), scheme, need_introduced=need)
        if needs_year_to_date(scheme)
        else None
    )
    goals = targets_for(ids, period)
    scored = [
        Scored(
            org,
            found[org.pk],
            ytd[org.pk] if ytd else None,
            goals[org.pk],
            scoring.score(scheme, found[org.pk], goals[org.pk], ytd[org.pk] if ytd else None),
        )
        for org in orgs
    ]
    scored.sort(key=lambda s: (-s.result.total, s.organization.name))
    return scored


def organizations_for(user: User, org: Organization | None = None) -> list[Organization]:
    """Whom an assessment covers: one organisation, or every one the user may assess."""
    if org is not None:
        return [org]
    orgs = list(assessable(user).order_by("name"))
    below = [o for o in orgs if o.pk != user.organization_id]
    return below or orgs


def assess(
    user: User, version: SchemeVersion, period: Period, orgs: Iterable[Organization] | None = None
) -> list[Assessment]:
    """Score, rank and store; an organisation assessed again in the period is replaced."""
    chosen = list(orgs) if orgs is not None else organizations_for(user)
    allowed = set(
        assessable(user).filter(pk__in=[o.pk for o in chosen]).values_list("pk", flat=True)
    )
    refused = [o.name for o in chosen if o.pk not in allowed]
    if refused:
        raise Invalid(_("无权考核:%(names)s") % {"names": "、".join(refused)})
    if not chosen:
        raise Invalid(_("没有可考核的机构"))
    scheme = scheme_of(version)
    scored = compute(user, version, period, chosen)
    totals = [s.result.total for s in scored]
    ranks = scoring.rank(totals)
    colours = scoring.standings(scheme, totals)
    assessor = user.organization if not user.is_superuser else None
    rows = []
    for item, place, colour in zip(scored, ranks, colours, strict=True):
        figures: dict[str, Any] = _json(item.figures)
        if item.year_to_date is not None:
            figures["__ytd__"] = _json(item.year_to_date)
        rows.append(
            Assessment(
                organization=item.organization,
                assessor=assessor,
                scheme=version,
                period=period.label,
                period_start=period.start,
                period_end=period.end,
                figures=figures,
                targets=_json(item.targets),
                result=item.result.as_json(),
                total=item.result.total,
                rank=place if len(scored) > 1 else None,
                standing=colour,
                computed_by=user,
            )
        )
    # One delete and one bulk insert: an organisation assessed again in the period under the
    # same version by the same assessor is replaced.
    with transaction.atomic():
        Assessment.objects.filter(
            assessor=assessor,
            scheme=version,
            period=period.label,
            organization_id__in=[o.pk for o in chosen],
        ).delete()
        saved = Assessment.objects.bulk_create(rows, batch_size=500)
    return saved


def replay(assessment: Assessment) -> scoring.Result:
    """The stored assessment computed again from what it stored and its scheme version."""
    figures = dict(assessment.figures)
    ytd = figures.pop("__ytd__", None)
    return scoring.score(
        scheme_of(assessment.scheme),
        _decimals(figures),
        _decimals(assessment.targets),
        _decimals(ytd) if ytd else None,
    )
