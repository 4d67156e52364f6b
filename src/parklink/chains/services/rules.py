"""An organisation's gap-label thresholds (缺链判定规则): defaults, or its admins' values."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from parklink.accounts.models import Role, User
from parklink.chains import coverage as pure
from parklink.chains.models import GapRules
from parklink.core.errors import Forbidden, Invalid

FIELDS = (
    "strong_enterprises",
    "strong_leader_enterprises",
    "strong_capital",
    "present_enterprises",
)
LIMIT = 1_000_000


def current(user: User) -> dict[str, Any]:
    """The values in force for the user's organisation (the defaults where it set none)."""
    org_id = user.organization_id
    rules = GapRules.objects.filter(organization_id=org_id).first() if org_id else None
    defaults = pure.Rules()
    if rules is None:
        return {
            "strong_enterprises": defaults.strong_enterprises,
            "strong_leader_enterprises": defaults.strong_leader_enterprises,
            "strong_capital": Decimal(defaults.strong_capital_fen) / 100,
            "present_enterprises": defaults.present_enterprises,
            "custom": False,
        }
    return {name: getattr(rules, name) for name in FIELDS} | {"custom": True}


def ensure_can_set(user: User) -> None:
    if user.is_superuser and user.organization_id is not None:
        return
    if user.organization_id is None:
        raise Forbidden(_("用户未关联任何机构。"))
    if user.role != Role.ADMIN:
        raise Forbidden(_("只有本机构管理员可以调整缺链判定规则。"))


def set_rules(user: User, **values: Any) -> GapRules:
    """Store the organisation's thresholds; every problem is named by its field."""
    ensure_can_set(user)
    problems: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in FIELDS:
        value = values.get(name)
        if value is None or value == "":
            problems[name] = _("必填")
            continue
        if name == "strong_capital":
            try:
                amount = Decimal(str(value))
            except InvalidOperation:
                problems[name] = _("应为金额(元)")
                continue
            if (
                amount < 0
                or amount >= Decimal("1e16")
                or amount != amount.quantize(Decimal("0.01"))
            ):
                problems[name] = _("应为不小于 0、最多两位小数的金额(元)")
                continue
            clean[name] = amount
        else:
            try:
                number = int(value)
            except (TypeError, ValueError):
                problems[name] = _("应为整数")
                continue
            if not 0 <= number <= LIMIT:
                problems[name] = _("应在 0 到 %(n)s 之间") % {"n": f"{LIMIT:,}"}
                continue
            clean[name] = number
    if not problems:
        candidate = pure.Rules(
            strong_enterprises=clean["strong_enterprises"],
            strong_leader_enterprises=clean["strong_leader_enterprises"],
            strong_capital_fen=int(clean["strong_capital"] * 100),
            present_enterprises=clean["present_enterprises"],
        )
        problems = {name: _(message) for name, message in candidate.problems().items()}
    if problems:
        raise Invalid(_("缺链判定规则有误"), detail=problems)
    org_id = user.organization_id
    assert org_id is not None  # ensure_can_set refuses users without one
    rules, _created = GapRules.objects.update_or_create(
        organization_id=org_id, defaults={**clean, "updated_by": user}
    )
    return rules


def reset(user: User) -> None:
    ensure_can_set(user)
    if user.organization_id is not None:
        GapRules.objects.filter(organization_id=user.organization_id).delete()
