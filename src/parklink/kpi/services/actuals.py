"""Actuals computed from the pipeline, never typed in: one grouped query per kind of figure.

Every figure of an organisation counts only projects the acting user may see
(`projects.queries.visibility_q`) that have been signed: a lead or a negotiation never
counts, and a city reads a county's signed projects only. A project entered into the
library after the period closed (突击上报) counts nowhere when the scheme says so (its
`ledger_before_close`); it shows as `late_reported`. Funds in place count only entries with
evidence (a voucher or an invoice reference); the others are summed apart
(`funds_unevidenced`).

`figures` computes every organisation at once, grouped in the database (a few queries for
3,000 organisations); `projects_behind` lists the projects under one figure, which the pages
open from each number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from parklink.accounts.models import User
from parklink.kpi.engine import eligibility, fx
from parklink.kpi.engine.names import BANDS, FIGURES
from parklink.kpi.engine.periods import Period, months_before
from parklink.kpi.engine.periods import parse as periods_parse
from parklink.kpi.engine.scheme import MAX_WINDOW_MONTHS, Eligibility, Scheme
from parklink.kpi.models import Finding, FindingKind, SubjectKind
from parklink.projects.amounts import Qualifier, from_counts
from parklink.projects.lifecycle import Stage
from parklink.projects.models import FundsInPlace, Milestone, Project, ProjectTag, StageTransition
from parklink.projects.queries import visibility_q

STARTED = [
    Stage.STARTED.value,
    Stage.UNDER_CONSTRUCTION.value,
    Stage.COMPLETED.value,
    Stage.IN_PRODUCTION.value,
    Stage.FULL_PRODUCTION.value,
]
# 制造业: GB/T 4754 divisions 13–43 (the industrial projects of 产业契合度).
INDUSTRIAL = r"^(1[3-9]|[23][0-9]|4[0-3])"
EVIDENCED = Q(evidence__regex=r"\S")
RATE = Decimal("0.0001")
FEN = Decimal("0.01")
YUAN = [f.name for f in FIGURES if f.unit == "yuan"]
ZERO = Decimal(0)
Figures = dict[str, Decimal]


@dataclass(frozen=True)
class Rules:
    """What the figures depend on in a scheme (defaults: the county rule's reading)."""

    eligibility: Eligibility = field(default_factory=Eligibility)
    start_deadline_months: int = 6
    ledger_grace_days: int = 0

    @classmethod
    def of(cls, scheme: Scheme | None) -> Rules:
        if scheme is None:
            return cls()
        return cls(scheme.eligibility, scheme.start_deadline_months, scheme.ledger_grace_days)


@dataclass(frozen=True)
class Grouping:
    """Whose figures: which projects belong to which subject (an organisation, a department …).

    `scope(prefix)` selects the subjects' projects and `key(prefix)` is the expression giving
    a project's subject, both over a path to the project (`""` on projects, `"project__"` on
    their funds and milestones). The visibility rule and the signed-only rule apply on top of
    the scope, whatever the subject: a higher level reads only signed projects below it.
    """

    kind: str
    keys: tuple[Any, ...]
    scope: Callable[[str], Q]
    key: Callable[[str], Any]

    @property
    def textual(self) -> bool:
        return self.kind == SubjectKind.TASK_FORCE


def by_organizations(ids: Iterable[int]) -> Grouping:
    keys = tuple(ids)
    return Grouping(
        SubjectKind.ORGANIZATION,
        keys,
        lambda p: Q(**{f"{p}owner_id__in": list(keys)}),
        lambda p: F(f"{p}owner_id"),
    )


def by_task_forces(org_id: int, names: Iterable[str]) -> Grouping:
    keys = tuple(names)
    return Grouping(
        SubjectKind.TASK_FORCE,
        keys,
        lambda p: Q(**{f"{p}owner_id": org_id, f"{p}task_force__in": list(keys)}),
        lambda p: F(f"{p}task_force"),
    )


def by_persons(org_id: int, user_ids: Iterable[int]) -> Grouping:
    keys = tuple(user_ids)
    return Grouping(
        SubjectKind.PERSON,
        keys,
        lambda p: Q(**{f"{p}owner_id": org_id, f"{p}leader_user_id__in": list(keys)}),
        lambda p: F(f"{p}leader_user_id"),
    )


def department_of(prefix: str = "") -> Coalesce:
    """A project's department: its explicit link, else its leader's membership."""
    return Coalesce(
        F(f"{prefix}kpi_department_link__department_id"),
        F(f"{prefix}leader_user__kpi_department_member__department_id"),
    )


def by_departments(department_ids: Iterable[int]) -> Grouping:
    keys = tuple(department_ids)

    def scope(p: str) -> Q:
        linked = Q(**{f"{p}kpi_department_link__department_id__in": list(keys)})
        led = Q(
            **{
                f"{p}kpi_department_link__isnull": True,
                f"{p}leader_user__kpi_department_member__department_id__in": list(keys),
            }
        )
        return linked | led

    return Grouping(SubjectKind.DEPARTMENT, keys, scope, department_of)


def by_offices(office_ids: Iterable[int]) -> Grouping:
    keys = tuple(office_ids)
    return Grouping(
        SubjectKind.OFFICE,
        keys,
        lambda p: Q(**{f"{p}kpi_office_lead__office_id__in": list(keys)}),
        lambda p: F(f"{p}kpi_office_lead__office_id"),
    )


def grouping_of(subjects: Iterable[int] | Grouping) -> Grouping:
    return subjects if isinstance(subjects, Grouping) else by_organizations(subjects)


def _close(period: Period, rules: Rules) -> datetime:
    """The moment the period's ledger closes: the end of its last day (plus the grace)."""
    day = period.end + timedelta(days=rules.ledger_grace_days + 1)
    return timezone.make_aware(datetime.combine(day, time.min))


def started_on() -> Subquery:
    """The day a project first reached 开工 or a later stage (its stage history)."""
    first = (
        StageTransition.objects.filter(project_id=OuterRef("pk"), to_stage__in=STARTED)
        .order_by()
        .values("project_id")
        .annotate(first=Min("effective_on"))
        .values("first")
    )
    return Subquery(first[:1])


def started_by(day: date, *, before: bool = False) -> Exists:
    """The project reached 开工 or a later stage on or before `day` (strictly before: `before`).

    An EXISTS the database answers as a semi-join over the stage history, cheaper than the
    first start day of every project (`started_on`) when only the comparison matters.
    """
    condition = Q(effective_on__lt=day) if before else Q(effective_on__lte=day)
    return Exists(
        StageTransition.objects.filter(condition, project_id=OuterRef("pk"), to_stage__in=STARTED)
    )


def counted_projects(
    user: User, subjects: Iterable[int] | Grouping, period: Period, rules: Rules
) -> QuerySet[Project]:
    """Signed projects of these subjects that the user sees and that count for `period`."""
    group = grouping_of(subjects)
    qs = Project.objects.filter(visibility_q(user), group.scope(""), signed_on__isnull=False)
    if rules.eligibility.ledger_before_close:
        qs = qs.filter(created_at__lt=_close(period, rules))
    return qs


def _tagged(code: str) -> Exists:
    return Exists(ProjectTag.objects.filter(code=code, projects=OuterRef("pk")))


def _band_q(name: str) -> Q:
    low, high = BANDS[name]
    condition = Q(total_investment__gte=low)
    if high is not None:
        condition &= Q(total_investment__lt=high)
    return condition


def _rows(qs: Any) -> list[dict[str, Any]]:
    return list(qs)


def _rate(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) / Decimal(whole)).quantize(RATE)


def empty() -> Figures:
    return {f.name: ZERO for f in FIGURES}


def _due_window(period: Period, rules: Rules) -> tuple[date, date]:
    """Signed in (after, up to]: due to have started by the period's end, within two years."""
    return (
        months_before(period.end, MAX_WINDOW_MONTHS),
        months_before(period.end, rules.start_deadline_months),
    )


def _grouped(qs: QuerySet[Any], group: Grouping, prefix: str, *more: str) -> QuerySet[Any]:
    """`qs` grouped by subject (the column `subject`) and `more`."""
    return qs.annotate(subject=group.key(prefix)).values("subject", *more).order_by()


def _counted(qualifier: Qualifier) -> Count:
    """Signed 总投资 figures carrying `qualifier`: the sum's own qualifier follows from them."""
    return Count(
        "pk", filter=Q(total_investment__isnull=False, total_investment_qualifier=qualifier)
    )


def qualifiers(
    user: User, subjects: Iterable[int] | Grouping, period: Period, scheme: Scheme | None = None
) -> dict[Any, dict[str, str]]:
    """The qualifier of each subject's summed amounts (超: a lower bound among them; 约: an
    estimate): `signed_amount` reads the 总投资 figures' own qualifiers; funds in place are
    exact entries. One grouped query; subjects with exact sums are left out."""
    group = grouping_of(subjects)
    rules = Rules.of(scheme)
    rows = _grouped(
        counted_projects(user, group, period, rules).filter(
            signed_on__gte=period.start, signed_on__lte=period.end
        ),
        group,
        "",
    ).annotate(least=_counted(Qualifier.AT_LEAST), about=_counted(Qualifier.ABOUT))
    found: dict[Any, dict[str, str]] = {}
    for row in rows:
        word = from_counts(row["least"], row["about"])
        if word != Qualifier.EXACT:
            found[row["subject"]] = {"signed_amount": word.value}
    return found


def figures(
    user: User,
    subjects: Iterable[int] | Grouping,
    period: Period,
    scheme: Scheme | None = None,
    *,
    need_introduced: bool | None = None,
    qualified: dict[Any, dict[str, str]] | None = None,
) -> dict[Any, Figures]:
    """Every figure of every subject (organisations by default) for `period`, as `user` may
    see them. `qualified`, when given, receives the summed amounts' qualifiers (as
    `qualifiers` computes them) from the same grouped query as the signings."""
    group = grouping_of(subjects)
    ids = list(group.keys)
    rules = Rules.of(scheme)
    found: dict[Any, Figures] = {pk: empty() for pk in ids}
    base = counted_projects(user, group, period, rules)
    in_period = Q(signed_on__gte=period.start, signed_on__lte=period.end)

    signed = _grouped(base.filter(in_period), group, "").annotate(
        signed_count=Count("pk"),
        signed_amount=Sum("total_investment"),
        key_projects=Count("pk", filter=Q(_tagged("key"))),
        provincial_major=Count("pk", filter=Q(_tagged("provincial_major"))),
        industrial=Count("pk", filter=Q(industry_code__regex=INDUSTRIAL)),
        landed=Count("pk", filter=Q(started_by(period.end)) & Q(investor__uscc__regex=r"\S")),
        **{name: Count("pk", filter=_band_q(name)) for name in BANDS},
        **(
            {"least": _counted(Qualifier.AT_LEAST), "about": _counted(Qualifier.ABOUT)}
            if qualified is not None
            else {}
        ),
    )
    for row in _rows(signed):
        fig = found[row["subject"]]
        if qualified is not None:
            word = from_counts(row["least"], row["about"])
            if word != Qualifier.EXACT:
                qualified[row["subject"]] = {"signed_amount": word.value}
        count = row["signed_count"]
        fig["signed_count"] = Decimal(count)
        fig["signed_amount"] = row["signed_amount"] or ZERO
        for name in ("key_projects", "provincial_major", *BANDS):
            fig[name] = Decimal(row[name])
        fig["industrial_share"] = _rate(row["industrial"], count)
        fig["landing_rate"] = _rate(row["landed"], count)

    # First started in the period: a start inside it and none before it (semi- and anti-joins).
    started = _grouped(
        base.filter(started_by(period.end), ~Q(started_by(period.start, before=True))), group, ""
    ).annotate(n=Count("pk"))
    for row in _rows(started):
        found[row["subject"]]["started_count"] = Decimal(row["n"])

    after, up_to = _due_window(period, rules)
    due = _grouped(
        base.filter(signed_on__gt=after, signed_on__lte=up_to).exclude(
            stage=Stage.TERMINATED.value
        ),
        group,
        "",
    ).annotate(n=Count("pk"), done=Count("pk", filter=Q(started_by(period.end))))
    for row in _rows(due):
        fig = found[row["subject"]]
        fig["start_rate"] = _rate(row["done"], row["n"])
        fig["overdue_not_started"] = Decimal(row["n"] - row["done"])

    milestones = _grouped(
        Milestone.objects.filter(
            project__in=base.values("pk"), due_on__gte=period.start, due_on__lte=period.end
        ),
        group,
        "project__",
    ).annotate(n=Count("pk"), kept=Count("pk", filter=Q(done_on__lte=F("due_on"))))
    for row in _rows(milestones):
        found[row["subject"]]["performance_rate"] = _rate(row["kept"], row["n"])

    funds = _grouped(
        FundsInPlace.objects.filter(
            project__in=base.values("pk"),
            received_on__gte=period.start,
            received_on__lte=period.end,
        ),
        group,
        "project__",
        "project__capital_origin",
    ).annotate(
        evidenced=Sum("amount", filter=EVIDENCED),
        unevidenced=Sum("amount", filter=~EVIDENCED),
    )
    for row in _rows(funds):
        fig = found[row["subject"]]
        evidenced = row["evidenced"] or ZERO
        fig["funds_total"] += evidenced
        fig["funds_unevidenced"] += row["unevidenced"] or ZERO
        origin = row["project__capital_origin"]
        if origin:
            fig[f"funds_{origin}"] += evidenced

    # Foreign funds in US$: each month's evidenced entries at that month's rate; months
    # without a rate are summed apart in 元 (`funds_foreign_unconverted`), never guessed.
    foreign = _grouped(
        FundsInPlace.objects.filter(
            EVIDENCED,
            project__in=base.values("pk"),
            project__capital_origin="foreign",
            received_on__gte=period.start,
            received_on__lte=period.end,
        ).annotate(month=TruncMonth("received_on")),
        group,
        "project__",
        "month",
    ).annotate(total=Sum("amount"))
    by_month: dict[Any, dict[str, Decimal]] = defaultdict(dict)
    for row in _rows(foreign):
        by_month[row["subject"]][f"{row['month']:%Y-%m}"] = row["total"] or ZERO
    if by_month:
        rates = exchange_rates()
        for owner, amounts in by_month.items():
            converted = fx.convert(amounts, rates)
            found[owner]["funds_foreign_usd"] = converted.usd
            found[owner]["funds_foreign_unconverted"] = converted.unconverted

    falsified = _grouped(
        Finding.objects.filter(
            kind=FindingKind.FALSIFIED,
            noted_on__gte=period.start,
            noted_on__lte=period.end,
            project__in=Project.objects.filter(visibility_q(user), group.scope("")).values("pk"),
        ),
        group,
        "project__",
    ).annotate(n=Count("project_id", distinct=True))
    for row in _rows(falsified):
        found[row["subject"]]["falsified"] = Decimal(row["n"])

    if rules.eligibility.ledger_before_close:
        late = _grouped(
            Project.objects.filter(visibility_q(user), group.scope("")).filter(
                in_period, created_at__gte=_close(period, rules)
            ),
            group,
            "",
        ).annotate(n=Count("pk"))
        for row in _rows(late):
            found[row["subject"]]["late_reported"] = Decimal(row["n"])

    if need_introduced is None or need_introduced:
        for owner, count in introduced(user, group, period, rules).items():
            found[owner]["introduced"] = Decimal(count)
    for fig in found.values():  # amounts to the fen, the same on every database
        for name in YUAN:
            fig[name] = fig[name].quantize(FEN)
    return found


def _candidates(
    user: User, group: Grouping, period: Period, rules: Rules
) -> tuple[np.ndarray, np.ndarray, eligibility.Candidates]:
    """Projects that may count as introduced in `period`: ids, owners and their columns."""
    rule = rules.eligibility
    earliest = months_before(period.start, rule.window_months)
    # A success day is the latest of signing, start and the day funds reached the minimum, so
    # one inside the period needs an event inside it: signed in it, started in it, or evidenced
    # funds received in it. Projects with none are not read (most of the library).
    funds_in_period = Exists(
        FundsInPlace.objects.filter(
            EVIDENCED,
            project_id=OuterRef("pk"),
            received_on__gte=period.start,
            received_on__lte=period.end,
        )
    )
    candidates = (
        Project.objects.filter(
            visibility_q(user),
            group.scope(""),
            signed_on__gte=earliest,
            signed_on__lte=period.end,
        )
        .annotate(first_start=started_on(), subject=group.key(""))
        .filter(
            Q(signed_on__gte=period.start)
            | Q(first_start__gte=period.start, first_start__lte=period.end)
            | Q(funds_in_period)
        )
    )
    if rule.started:
        candidates = candidates.filter(first_start__lte=period.end)
    if rule.registered:
        candidates = candidates.filter(investor__uscc__regex=r"\S")
    qs = candidates.order_by("pk").values_list(
        "pk", "subject", "signed_on", "first_start", "created_at", "investor__uscc"
    )
    rows = list(qs)
    n = len(rows)
    pks = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    owners = (
        np.array([r[1] for r in rows], dtype=object)
        if group.textual
        else np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
    )
    signed = np.fromiter(
        (r[2].toordinal() if r[2] else eligibility.MISSING for r in rows), dtype=np.int64, count=n
    )
    starts = np.fromiter(
        (r[3].toordinal() if r[3] else eligibility.MISSING for r in rows), dtype=np.int64, count=n
    )
    recorded = np.fromiter(
        (timezone.localtime(r[4]).date().toordinal() for r in rows), dtype=np.int64, count=n
    )
    registered = np.fromiter((bool((r[5] or "").strip()) for r in rows), dtype=np.bool_, count=n)
    reached = np.full(n, eligibility.MISSING, dtype=np.int64)
    if rule.min_actual_investment > 0 and n:
        reached = _funds_reached(pks, candidates.values("pk"), period, rule.min_actual_investment)
    return (
        pks,
        owners,
        eligibility.Candidates(signed, starts, reached, recorded, registered),
    )


def _funds_reached(
    pks: np.ndarray, projects: QuerySet[Any], period: Period, minimum: Decimal
) -> np.ndarray:
    """The day each project's evidenced funds first reached `minimum` (MISSING: not by the end).

    Summed in the database per project and day, then accumulated over columns: amounts are
    whole fen (integers), so the running totals are exact.
    """
    rows = list(
        FundsInPlace.objects.filter(EVIDENCED, project_id__in=projects, received_on__lte=period.end)
        .values("project_id", "received_on")
        .order_by("project_id", "received_on")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "received_on", "total")
    )
    reached = np.full(len(pks), eligibility.MISSING, dtype=np.int64)
    if not rows:
        return reached
    project = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    day = np.fromiter((r[1].toordinal() for r in rows), dtype=np.int64, count=len(rows))
    fen = np.fromiter((int(r[2] * 100) for r in rows), dtype=np.int64, count=len(rows))
    running = np.cumsum(fen)
    starts = np.r_[0, np.flatnonzero(np.diff(project)) + 1]
    offsets = np.repeat(np.r_[0, running[starts[1:] - 1]], np.diff(np.r_[starts, len(rows)]))
    running = running - offsets
    hit = running >= int(minimum * 100)
    # The first day per project with the running total at the minimum.
    hit_projects, first = np.unique(project[hit], return_index=True)
    first_days = day[hit][first]
    # `pks` is sorted (the candidates are read in key order): positions by binary search.
    positions = np.searchsorted(pks, hit_projects)
    reached[positions] = first_days
    return reached


def introduced_ids(
    user: User, subjects: Iterable[int] | Grouping, period: Period, rules: Rules
) -> tuple[np.ndarray, np.ndarray]:
    """(project ids, subjects) of the projects counted as introduced in `period`."""
    pks, owners, candidates = _candidates(user, grouping_of(subjects), period, rules)
    verdict = eligibility.judge(candidates, rules.eligibility, period, rules.ledger_grace_days)
    return pks[verdict.counted], owners[verdict.counted]


def introduced(
    user: User, subjects: Iterable[int] | Grouping, period: Period, rules: Rules
) -> dict[Any, int]:
    _pks, owners = introduced_ids(user, subjects, period, rules)
    values, counts = np.unique(owners, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def projects_behind(
    user: User,
    org_id: int | Grouping,
    period: Period,
    figure: str,
    scheme: Scheme | None = None,
) -> QuerySet[Project]:
    """The projects under one figure of one subject (what the figure's link opens):
    an organisation by id, or one subject's `Grouping`."""
    rules = Rules.of(scheme)
    group = org_id if isinstance(org_id, Grouping) else by_organizations([org_id])
    base = counted_projects(user, group, period, rules)
    in_period = Q(signed_on__gte=period.start, signed_on__lte=period.end)
    with_start = base.annotate(first_start=started_on())
    if figure in ("signed_count", "signed_amount", "landing_rate", "industrial_share"):
        return base.filter(in_period)
    if figure in BANDS:
        return base.filter(in_period & _band_q(figure))
    if figure in ("key_projects", "provincial_major"):
        code = "key" if figure == "key_projects" else "provincial_major"
        return base.filter(in_period, _tagged(code))
    if figure == "started_count":
        return with_start.filter(first_start__gte=period.start, first_start__lte=period.end)
    if figure in ("start_rate", "overdue_not_started"):
        after, up_to = _due_window(period, rules)
        due = with_start.filter(signed_on__gt=after, signed_on__lte=up_to).exclude(
            stage=Stage.TERMINATED.value
        )
        if figure == "overdue_not_started":
            return due.filter(Q(first_start__isnull=True) | Q(first_start__gt=period.end))
        return due
    if figure == "performance_rate":
        return base.filter(
            milestones__due_on__gte=period.start, milestones__due_on__lte=period.end
        ).distinct()
    if figure.startswith("funds_"):
        rows = FundsInPlace.objects.filter(
            received_on__gte=period.start, received_on__lte=period.end
        )
        rows = rows.filter(~EVIDENCED) if figure == "funds_unevidenced" else rows.filter(EVIDENCED)
        qs = base.filter(pk__in=rows.values("project_id"))
        origin = figure.removeprefix("funds_")
        if origin == "foreign_unconverted":
            rows = rows.exclude(rated_months())
            qs = base.filter(pk__in=rows.values("project_id"))
        if origin in ("foreign_usd", "foreign_unconverted"):
            origin = "foreign"
        if origin in ("in_province", "out_of_province", "foreign"):
            qs = qs.filter(capital_origin=origin)
        return qs
    if figure == "falsified":
        noted = Finding.objects.filter(
            kind=FindingKind.FALSIFIED, noted_on__gte=period.start, noted_on__lte=period.end
        )
        return Project.objects.filter(
            visibility_q(user), group.scope(""), pk__in=noted.values("project_id")
        )
    if figure == "late_reported":
        return Project.objects.filter(visibility_q(user), group.scope("")).filter(
            in_period, created_at__gte=_close(period, rules)
        )
    if figure == "introduced":
        pks, _owners = introduced_ids(user, group, period, rules)
        return Project.objects.filter(pk__in=pks.tolist())
    return Project.objects.none()


def exchange_rates() -> dict[str, Decimal]:
    """Month ("2025-03") → 元 per US$, as entered by an administrator."""
    from parklink.kpi.models import ExchangeRate

    return dict(ExchangeRate.objects.values_list("month", "rate"))


def rated_months() -> Q:
    """Funds entries received in a month that has an exchange rate."""
    wanted = Q(pk__in=[])
    for month in exchange_rates():
        start = periods_parse(month)
        wanted |= Q(received_on__gte=start.start, received_on__lte=start.end)
    return wanted


def funds_behind(
    user: User,
    org_id: int | Grouping,
    period: Period,
    figure: str,
    scheme: Scheme | None = None,
) -> QuerySet[FundsInPlace]:
    """The funds entries under a funds figure (evidenced, or the unevidenced ones apart)."""
    projects = projects_behind(user, org_id, period, figure, scheme)
    rows = FundsInPlace.objects.filter(
        project__in=projects.values("pk"),
        received_on__gte=period.start,
        received_on__lte=period.end,
    ).select_related("project")
    if figure == "funds_foreign_unconverted":
        rows = rows.exclude(rated_months())
    return rows.filter(~EVIDENCED) if figure == "funds_unevidenced" else rows.filter(EVIDENCED)


def by_org(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.owner_id].append(row)
    return grouped
