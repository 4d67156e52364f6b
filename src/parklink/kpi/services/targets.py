"""Targets: set by an organisation for itself or for one below it, per period and kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, Invalid
from parklink.kpi.engine import periods
from parklink.kpi.engine.names import TARGET_KINDS
from parklink.kpi.models import SubjectKind, Target
from parklink.kpi.queries import assessable

MAX_VALUE = Decimal("1e15")


def parse_period(label: str, field: str = "period") -> periods.Period:
    try:
        return periods.parse(label)
    except periods.PeriodError as exc:
        from django.utils.translation import get_language

        lang = get_language() or "zh"
        raise Invalid.on(field, exc.reason_en if lang.startswith("en") else exc.reason_zh) from exc


def ensure_can_set(user: User, org: Organization) -> Organization:
    """The organisation whose officer sets targets for `org` (its own, or one above it)."""
    if not assessable(user).filter(pk=org.pk).exists():
        raise Forbidden(_("只能为本机构或下级机构下达目标"))
    if user.is_superuser:
        return org
    ensure_can_write(user, user.organization_id)
    assert user.organization is not None
    return user.organization


def check_value(kind: str, value: Any) -> Decimal:
    if kind not in TARGET_KINDS:
        raise Invalid.on("kind", _("未知的目标类型:%(kind)s") % {"kind": kind})
    try:
        number = Decimal(str(value))
    except Exception as exc:
        raise Invalid.on("value", _("目标值应为数字")) from exc
    if not number.is_finite() or number < 0 or number >= MAX_VALUE:
        raise Invalid.on("value", _("目标值应为不小于0的有限数字"))
    if (kind.endswith("_rate") or kind == "industrial_share") and number > 1:
        raise Invalid.on("value", _("比率目标应写成0到1之间的小数(85%%写作0.85)"))
    return number


def set_target(
    user: User,
    org: Organization,
    period_label: str,
    kind: str,
    value: Any,
    *,
    subject_kind: str = SubjectKind.ORGANIZATION,
    task_force: str = "",
    person: User | None = None,
    office: Any = None,
    department: Any = None,
    note: str = "",
    illustrative: bool = False,
) -> Target:
    """Create or replace one target (the same organisation, subject, period and kind)."""
    set_by = ensure_can_set(user, org)
    period = parse_period(period_label)
    number = check_value(kind, value)
    if subject_kind not in SubjectKind.values:
        raise Invalid.on("subject_kind", _("未知的对象类型"))
    if subject_kind == SubjectKind.TASK_FORCE and not task_force.strip():
        raise Invalid.on("task_force", _("请填写工作专班名称"))
    if subject_kind == SubjectKind.PERSON and (person is None or person.organization_id != org.pk):
        raise Invalid.on("person", _("责任人应为该机构的用户"))
    if subject_kind == SubjectKind.OFFICE and (office is None or office.organization_id != org.pk):
        raise Invalid.on("office", _("驻点招商机构应属于该机构"))
    if subject_kind == SubjectKind.DEPARTMENT and (
        department is None or department.organization_id != org.pk
    ):
        raise Invalid.on("department", _("部门应属于该机构"))
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            organization=org,
            subject_kind=subject_kind,
            task_force=task_force.strip() if subject_kind == SubjectKind.TASK_FORCE else "",
            person=person if subject_kind == SubjectKind.PERSON else None,
            office=office if subject_kind == SubjectKind.OFFICE else None,
            department=department if subject_kind == SubjectKind.DEPARTMENT else None,
            period=period.label,
            kind=kind,
            defaults={
                "set_by": set_by,
                "period_kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
                "value": number,
                "note": note,
                "illustrative": illustrative,
            },
        )
    return target


def targets_for(org_ids: list[int], period: periods.Period) -> dict[int, dict[str, Decimal]]:
    """Organisation-level targets of the period: kind → value, per organisation."""
    found: dict[int, dict[str, Decimal]] = {pk: {} for pk in org_ids}
    rows = Target.objects.filter(
        organization_id__in=org_ids, subject_kind=SubjectKind.ORGANIZATION, period=period.label
    ).values_list("organization_id", "kind", "value")
    for org_id, kind, value in rows:
        found[org_id][kind] = value
    return found
