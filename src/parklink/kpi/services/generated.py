"""Reports made on demand (a page's download) and on a schedule (written into storage).

`parklink kpi reports --due` writes, for every organisation with an active officer or
administrator, the monthly report of the month before today and (in the first month of a
quarter) the quarterly assessment of the quarter before, as that organisation sees its own
work; a report already written for the period is skipped unless `--force`. Files go through
Django's default storage (`PARKLINK_STORAGE_URL`), listed on the reports page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, Role, User
from parklink.core.errors import Invalid, NotFound
from parklink.kpi import assessment_report, reports
from parklink.kpi.engine import periods
from parklink.kpi.models import GeneratedReport, ReportKind, ReportStatus
from parklink.kpi.queries import assessable

FORMATS = ("xlsx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
DEFAULT_SCHEME = "city-districts"


@dataclass(frozen=True)
class Made:
    data: bytes
    filename: str
    title: str


def make(
    user: User, org_id: int, kind: str, label: str, fmt: str, scheme: str = DEFAULT_SCHEME
) -> Made:
    """One report's bytes, as `user` may see the organisation's work."""
    if fmt not in FORMATS:
        raise Invalid.on("format", _("格式应为 xlsx 或 pdf"))
    from parklink.kpi.services.targets import parse_period

    period = parse_period(label)
    if kind == ReportKind.MONTHLY:
        built = reports.build(user, org_id, period.label)
        heading = reports.title(built)
        data = reports.render(built, fmt)
    elif kind == ReportKind.QUARTERLY:
        if period.kind != "quarter":
            raise Invalid.on("period", _("季度考核结果的期间应为季度,如 2025Q1"))
        document = assessment_report.build(user, org_id, scheme, period.label)
        heading = assessment_report.title(document)
        data = assessment_report.render(document, fmt)
    else:
        raise Invalid.on("kind", _("未知的报告类型"))
    return Made(data, f"{heading.replace(' ', '_')}.{fmt}", heading)


def store(
    user: User | None,
    acting: User,
    org: Organization,
    kind: str,
    label: str,
    fmt: str,
    scheme: str = DEFAULT_SCHEME,
    scheduled: bool = False,
) -> GeneratedReport:
    """Make a report and write it into storage, replacing the same one made before."""
    made = make(acting, org.pk, kind, label, fmt, scheme)
    key = scheme if kind == ReportKind.QUARTERLY else ""
    with transaction.atomic():
        old = GeneratedReport.objects.filter(
            organization=org, kind=kind, period=label, scheme_key=key, format=fmt
        ).first()
        if old is not None:
            if old.file:
                old.file.delete(save=False)
            old.delete()
        row = GeneratedReport(
            organization=org,
            kind=kind,
            period=label,
            scheme_key=key,
            format=fmt,
            size=len(made.data),
            generated_by=user,
            scheduled=scheduled,
        )
        row.file.save(made.filename, ContentFile(made.data), save=False)
        row.save()
    return row


def _checked(user: User, org_id: int, kind: str, label: str, fmt: str) -> str:
    """The period's label, once the request is one `make` would accept (else Invalid)."""
    from parklink.kpi.services.targets import parse_period

    if fmt not in FORMATS:
        raise Invalid.on("format", _("格式应为 xlsx 或 pdf"))
    if kind not in ReportKind.values:
        raise Invalid.on("kind", _("未知的报告类型"))
    period = parse_period(label)
    if kind == ReportKind.QUARTERLY and period.kind != "quarter":
        raise Invalid.on("period", _("季度考核结果的期间应为季度,如 2025Q1"))
    if not assessable(user).filter(pk=org_id).exists():
        raise NotFound(_("机构不存在或无权查看。"))
    return period.label


def request_report(
    user: User, org_id: int, kind: str, label: str, fmt: str, scheme: str = DEFAULT_SCHEME
) -> GeneratedReport:
    """Record a pending report and queue its making (`kpi.tasks.make_report`); a report of
    the same organisation, kind, period and format made before is replaced."""
    from parklink.kpi.tasks import make_report

    label = _checked(user, org_id, kind, label, fmt)
    key = scheme if kind == ReportKind.QUARTERLY else ""
    with transaction.atomic():
        for old in GeneratedReport.objects.filter(
            organization_id=org_id, kind=kind, period=label, scheme_key=key, format=fmt
        ):
            if old.file:
                old.file.delete(save=False)
            old.delete()
        row = GeneratedReport.objects.create(
            organization_id=org_id,
            kind=kind,
            period=label,
            scheme_key=key,
            format=fmt,
            generated_by=user,
            status=ReportStatus.PENDING,
        )
    make_report.enqueue(row.pk, user.pk)
    row.refresh_from_db()  # the immediate backend (tests) has made it already
    return row


def fill(row: GeneratedReport, acting: User) -> GeneratedReport:
    """Make a pending report's file (as `acting` sees the work) and mark it ready."""
    made = make(
        acting,
        row.organization_id,
        row.kind,
        row.period,
        row.format,
        row.scheme_key or DEFAULT_SCHEME,
    )
    row.file.save(made.filename, ContentFile(made.data), save=False)
    row.size = len(made.data)
    row.status = ReportStatus.READY
    row.error = ""
    row.save()
    return row


def visible_reports(user: User) -> QuerySet[GeneratedReport]:
    """Reports of the organisations the user may assess (its own and those below)."""
    return GeneratedReport.objects.filter(organization__in=assessable(user).values("pk"))


def due(today: date) -> list[tuple[str, str]]:
    """The (kind, period) due on `today`: last month's report; last quarter's assessment
    in a quarter's first month."""
    last_month = today.replace(day=1) - timedelta(days=1)
    found = [(ReportKind.MONTHLY.value, f"{last_month.year}-{last_month.month:02d}")]
    if today.month in (1, 4, 7, 10):
        quarter = (last_month.month - 1) // 3 + 1
        found.append((ReportKind.QUARTERLY.value, f"{last_month.year}Q{quarter}"))
    periods.parse(found[0][1])  # well-formed by construction
    return found


def reporter(org: Organization) -> User | None:
    """The user a scheduled report is made as: the organisation's first active admin or
    officer (the organisation's own view of its work)."""
    return (
        User.objects.filter(organization=org, is_active=True, role__in=[Role.ADMIN, Role.OFFICER])
        .select_related("organization__region")
        .order_by("-role", "pk")
        .first()
    )


@dataclass
class Outcome:
    written: list[GeneratedReport]
    skipped: list[str]


def run_due(
    today: date,
    formats: tuple[str, ...] = FORMATS,
    scheme: str = DEFAULT_SCHEME,
    force: bool = False,
    orgs: list[Organization] | None = None,
) -> Outcome:
    outcome = Outcome([], [])
    for org in orgs if orgs is not None else Organization.objects.order_by("name"):
        acting = reporter(org)
        if acting is None:
            outcome.skipped.append(_("%(org)s:没有可用的机构用户") % {"org": org.name})
            continue
        for kind, label in due(today):
            key = scheme if kind == ReportKind.QUARTERLY else ""
            for fmt in formats:
                exists = GeneratedReport.objects.filter(
                    organization=org, kind=kind, period=label, scheme_key=key, format=fmt
                ).exists()
                if exists and not force:
                    continue
                try:
                    outcome.written.append(
                        store(None, acting, org, kind, label, fmt, scheme, scheduled=True)
                    )
                except Invalid as exc:
                    outcome.skipped.append(f"{org.name} {label}:{exc.message}")
    return outcome
