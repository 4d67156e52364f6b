"""Assessments: a scheme version applied to organisations' figures and targets, stored.

`assess` computes the figures of every organisation at once (`actuals.figures`), scores
them, ranks them, gives each its 三类三色 standing and stores the lot with the figures and
targets used. `replay` recomputes a stored assessment from what it stored and the scheme
version it used: the same result, whatever changed since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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
from parklink.kpi.models import Assessment, SchemeVersion, SubjectKind
from parklink.kpi.queries import assessable
from parklink.kpi.services import actuals, subjects
from parklink.kpi.services.schemes import scheme_of
from parklink.kpi.services.subjects import Subject


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
    subject: Subject
    figures: dict[str, Decimal]
    year_to_date: dict[str, Decimal] | None
    targets: dict[str, Decimal]
    result: scoring.Result
    qualifiers: dict[str, str] = field(default_factory=dict)

    @property
    def organization(self) -> Organization:
        return self.subject.organization


def _as_subjects(chosen: Iterable[Organization | Subject]) -> list[Subject]:
    return [
        c if isinstance(c, Subject) else Subject(SubjectKind.ORGANIZATION, c.pk, c, c.name)
        for c in chosen
    ]


def compute(
    user: User,
    version: SchemeVersion,
    period: Period,
    orgs: Iterable[Organization | Subject],
) -> list[Scored]:
    """Every subject's score (organisations, or one kind of subject), best first; nothing
    stored. The figures of all subjects are computed together (`actuals.figures`)."""
    scheme = scheme_of(version)
    chosen = _as_subjects(orgs)
    group = subjects.grouping(chosen)
    need = uses_introduced(scheme)
    words: dict[Any, dict[str, str]] = {}
    found = actuals.figures(user, group, period, scheme, need_introduced=need, qualified=words)
    ytd = (
        actuals.figures(user, group, year_to_date(period), scheme, need_introduced=need)
        if needs_year_to_date(scheme)
        else None
    )
    goals = subjects.targets(chosen, period)
    scored = [
        Scored(
            s,
            found[s.key],
            ytd[s.key] if ytd else None,
            goals[s.key],
            scoring.score(scheme, found[s.key], goals[s.key], ytd[s.key] if ytd else None),
            words.get(s.key, {}),
        )
        for s in chosen
    ]
    scored.sort(key=lambda s: (-s.result.total, s.subject.label))
    return scored


def organizations_for(user: User, org: Organization | None = None) -> list[Organization]:
    """Whom an assessment covers: one organisation, or every one the user may assess."""
    if org is not None:
        return [org]
    orgs = list(assessable(user).order_by("name"))
    below = [o for o in orgs if o.pk != user.organization_id]
    return below or orgs


def assess(
    user: User,
    version: SchemeVersion,
    period: Period,
    orgs: Iterable[Organization | Subject] | None = None,
) -> list[Assessment]:
    """Score, rank and store; a subject assessed again in the period is replaced.

    `orgs`: organisations, or subjects of one kind (`subjects.subjects_of`); by default every
    organisation the user may assess.
    """
    chosen = _as_subjects(orgs if orgs is not None else organizations_for(user))
    owners = {s.organization.pk: s.organization for s in chosen}
    allowed = set(assessable(user).filter(pk__in=list(owners)).values_list("pk", flat=True))
    refused = [o.name for pk, o in owners.items() if pk not in allowed]
    if refused:
        raise Invalid(_("无权考核:%(names)s") % {"names": "、".join(refused)})
    if not chosen:
        raise Invalid(_("没有可考核的对象"))
    if len({s.kind for s in chosen}) > 1:
        raise Invalid(_("一次考核只能针对一类考核对象"))
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
        if item.qualifiers:
            figures["__qualifiers__"] = dict(item.qualifiers)
        rows.append(
            Assessment(
                organization=item.organization,
                subject_kind=item.subject.kind,
                subject_key=item.subject.key_text,
                subject_name=item.subject.name,
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
    # One delete and one bulk insert: a subject assessed again in the period under the same
    # version by the same assessor is replaced.
    kind = chosen[0].kind
    with transaction.atomic():
        stale = Assessment.objects.filter(
            assessor=assessor,
            scheme=version,
            period=period.label,
            subject_kind=kind,
            organization_id__in=list(owners),
        )
        if kind != SubjectKind.ORGANIZATION:
            stale = stale.filter(subject_key__in=[s.key_text for s in chosen])
        stale.delete()
        saved = Assessment.objects.bulk_create(rows, batch_size=500)
    return saved


def replay(assessment: Assessment) -> scoring.Result:
    """The stored assessment computed again from what it stored and its scheme version."""
    figures = dict(assessment.figures)
    ytd = figures.pop("__ytd__", None)
    figures.pop("__qualifiers__", None)
    return scoring.score(
        scheme_of(assessment.scheme),
        _decimals(figures),
        _decimals(assessment.targets),
        _decimals(ytd) if ytd else None,
    )
