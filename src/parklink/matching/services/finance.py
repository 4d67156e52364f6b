"""Financing matchmaking (银企对接): products, needs, matching, the lifecycle and the figures.

Visibility (docs/matching.md, "Financing"): bank products are visible to every signed-in user;
an enterprise's financing needs only to officers of organisations whose region contains the
enterprise's region, to the staff of the banks whose products the need was matched with, and
to installation administrators. Every state change goes through `transition`, which checks the
table in `finance/lifecycle.py` and records a `NeedEvent`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.accounts.models import User
from parklink.core.errors import Forbidden, IllegalTransition, Invalid, NotFound
from parklink.enterprises.models import Enterprise
from parklink.matching.finance import fit as fitting
from parklink.matching.finance import lifecycle
from parklink.matching.models_finance import (
    Bank,
    FinanceProduct,
    FinancingNeed,
    NeedEvent,
    NeedMatch,
    NeedStatus,
    ProductKind,
    Programme,
)
from parklink.matching.scoring import eligibility as el
from parklink.matching.services import policies, words

MAX_MATCHES = 5

# ---------------------------------------------------------------- visibility


def _bank_of(user: Any) -> Bank | None:
    if user.organization_id is None:
        return None
    return Bank.objects.filter(organization_id=user.organization_id).first()


def _region_q(user: Any) -> Q | None:
    """Needs of enterprises inside the user's organisation's region (officers and admins)."""
    org = user.organization
    if org is None or _bank_of(user) is not None:
        return None
    path = org.region.path
    return Q(enterprise__region__path=path) | Q(enterprise__region__path__startswith=path + "/")


def visible_needs(user: Any) -> QuerySet[FinancingNeed]:
    if not getattr(user, "is_authenticated", False):
        return FinancingNeed.objects.none()
    if user.is_superuser:
        return FinancingNeed.objects.all()
    if user.organization_id is None:
        return FinancingNeed.objects.none()
    bank = _bank_of(user)
    if bank is not None:
        matched = NeedMatch.objects.filter(product__bank=bank).values("need_id")
        return FinancingNeed.objects.filter(Q(pk__in=matched) | Q(product__bank=bank))
    region = _region_q(user)
    assert region is not None
    return FinancingNeed.objects.filter(region)


def visible_products(user: Any) -> QuerySet[FinanceProduct]:
    if not getattr(user, "is_authenticated", False):
        return FinanceProduct.objects.none()
    return FinanceProduct.objects.all()


def visible_banks(user: Any) -> QuerySet[Bank]:
    if not getattr(user, "is_authenticated", False):
        return Bank.objects.none()
    return Bank.objects.all()


def visible_programmes(user: Any) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False):
        return Programme.objects.none()
    return Programme.objects.all()


def visible_matches(user: Any) -> QuerySet[NeedMatch]:
    """A bank's staff see only their own bank's matches; region officers all of a need's."""
    if not getattr(user, "is_authenticated", False):
        return NeedMatch.objects.none()
    bank = _bank_of(user) if not user.is_superuser else None
    rows = NeedMatch.objects.filter(need__in=visible_needs(user))
    return rows.filter(product__bank=bank) if bank is not None else rows


def visible_events(user: Any) -> QuerySet[NeedEvent]:
    return NeedEvent.objects.filter(need__in=visible_needs(user))


def get_need(user: Any, pk: int) -> FinancingNeed:
    try:
        return visible_needs(user).select_related("enterprise", "product__bank").get(pk=pk)
    except FinancingNeed.DoesNotExist:
        raise NotFound(_("融资需求不存在或无权查看。")) from None


def get_product(user: Any, pk: int) -> FinanceProduct:
    try:
        return visible_products(user).select_related("bank", "programme").get(pk=pk)
    except FinanceProduct.DoesNotExist:
        raise NotFound(_("金融产品不存在或无权查看。")) from None


# ---------------------------------------------------------------- products


def conditions_of(product: FinanceProduct) -> list[el.Condition]:
    return el.parse_conditions(product.conditions or [])


def validate_product(data: dict[str, Any]) -> None:
    """The same words for forms, API and imports; `detail` names the field."""
    if data.get("kind") not in ProductKind.values:
        raise Invalid.on("kind", _("产品类型须为:信用、担保、抵质押或政策性贷款。"))
    amount_min, amount_max = data.get("amount_min"), data.get("amount_max")
    for name, value in (("amount_min", amount_min), ("amount_max", amount_max)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise Invalid.on(name, _("额度须为正整数(元)。"))
    assert isinstance(amount_min, int) and isinstance(amount_max, int)
    if amount_max < amount_min:
        raise Invalid.on("amount_max", _("最高额度不能低于最低额度。"))
    term_min, term_max = data.get("term_min"), data.get("term_max")
    for name, value in (("term_min", term_min), ("term_max", term_max)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 360:
            raise Invalid.on(name, _("期限须为 1–360 之间的整数(月)。"))
    assert isinstance(term_min, int) and isinstance(term_max, int)
    if term_max < term_min:
        raise Invalid.on("term_max", _("最长期限不能短于最短期限。"))
    rate_min, rate_max = data.get("rate_min"), data.get("rate_max")
    if rate_min is None or rate_max is None or rate_min < 0 or rate_max > 36:
        raise Invalid.on("rate_min", _("年利率须在 0%–36% 之间。"))
    if rate_max < rate_min:
        raise Invalid.on("rate_max", _("最高利率不能低于最低利率。"))
    try:
        el.parse_conditions(data.get("conditions", []))
    except el.ConditionError as error:
        raise Invalid.on("conditions", str(error)) from None


def _ensure_bank_staff(user: User, bank: Bank) -> None:
    if user.is_superuser:
        return
    if not user.can_write or user.organization_id != bank.organization_id:
        raise Forbidden(_("只有该银行的专员可以维护其金融产品。"))


@transaction.atomic
def save_product(user: User, bank: Bank, values: dict[str, Any]) -> FinanceProduct:
    """Create or update (by bank and name) one of the bank's products."""
    _ensure_bank_staff(user, bank)
    validate_product(values)
    name = str(values.get("name") or "").strip()
    if not name:
        raise Invalid.on("name", _("请填写产品名称。"))
    fields = {k: v for k, v in values.items() if k != "name"}
    product, _created = FinanceProduct.objects.update_or_create(
        bank=bank, name=name, defaults=fields
    )
    return product


def bank_of(user: Any) -> Bank | None:
    """The bank whose staff the user is (None for everyone else)."""
    return _bank_of(user)


def may_keep_products(user: Any) -> bool:
    """Bank staff who may write (officers and admins of a bank's organisation)."""
    return bool(getattr(user, "can_write", False)) and _bank_of(user) is not None


@transaction.atomic
def update_product(user: User, product: FinanceProduct, values: dict[str, Any]) -> FinanceProduct:
    """Change a product's terms (its bank's staff); a new name must not repeat another's."""
    _ensure_bank_staff(user, product.bank)
    validate_product(values)
    name = str(values.get("name") or "").strip()
    if not name:
        raise Invalid.on("name", _("请填写产品名称。"))
    clash = FinanceProduct.objects.filter(bank=product.bank, name=name).exclude(pk=product.pk)
    if clash.exists():
        raise Invalid.on("name", _("本行已有名为“%(name)s”的产品。") % {"name": name})
    for key, value in {**values, "name": name}.items():
        setattr(product, key, value)
    product.save()
    return product


@transaction.atomic
def set_active(user: User, product: FinanceProduct, active: bool) -> FinanceProduct:
    """Retire a product (no longer matched to new needs) or put it on sale again."""
    _ensure_bank_staff(user, product.bank)
    product.active = active
    product.save(update_fields=["active", "updated_at"])
    return product


# ---------------------------------------------------------------- needs


def _ensure_region_officer(user: User, enterprise: Enterprise) -> None:
    if user.is_superuser:
        return
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    org = user.organization
    if _region_q(user) is None or org is None or not org.region.contains(enterprise.region):
        raise Forbidden(_("只有企业所在地区的专员可以登记或修改其融资需求。"))


def validate_need(values: dict[str, Any]) -> None:
    amount = values.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise Invalid.on("amount", _("融资金额须为正整数(元)。"))
    term = values.get("term")
    if not isinstance(term, int) or isinstance(term, bool) or not 1 <= term <= 360:
        raise Invalid.on("term", _("期限须为 1–360 之间的整数(月)。"))
    if not str(values.get("purpose") or "").strip():
        raise Invalid.on("purpose", _("请填写融资用途。"))
    if values.get("urgency", "normal") not in ("normal", "urgent"):
        raise Invalid.on("urgency", _("紧急程度须为“一般”或“紧急”。"))


@transaction.atomic
def create_need(user: User, enterprise: Enterprise, values: dict[str, Any]) -> FinancingNeed:
    _ensure_region_officer(user, enterprise)
    validate_need(values)
    owner_id = user.organization_id or enterprise.owner_id
    need = FinancingNeed.objects.create(
        owner_id=owner_id,
        enterprise=enterprise,
        registered_on=values.pop("registered_on", None) or timezone.localdate(),
        **values,
    )
    NeedEvent.objects.create(
        need=need,
        action="register",
        source=NeedStatus.REGISTERED,
        target=NeedStatus.REGISTERED,
        amount=need.amount,
        on=need.registered_on,
        by=user,
    )
    return need


EDITABLE = frozenset({NeedStatus.REGISTERED, NeedStatus.MATCHED})


@transaction.atomic
def update_need(user: User, need: FinancingNeed, changes: dict[str, Any]) -> FinancingNeed:
    _ensure_region_officer(user, need.enterprise)
    if need.status not in EDITABLE:
        raise IllegalTransition(_("银行对接后不能再修改需求,请撤回后重新登记。"))
    merged = {
        "amount": need.amount,
        "term": need.term,
        "purpose": need.purpose,
        "urgency": need.urgency,
        **changes,
    }
    validate_need(merged)
    for key, value in changes.items():
        setattr(need, key, value)
    need.save()
    return need


# ---------------------------------------------------------------- matching


def fit_need(need: FinancingNeed) -> list[tuple[FinanceProduct, fitting.Fit]]:
    """Every active product's fit for the need, best first (reads the enterprise's facts)."""
    facts = policies.facts(Enterprise.objects.filter(pk=need.enterprise_id))[need.enterprise_id]
    products = list(FinanceProduct.objects.filter(active=True).select_related("bank"))
    by_pk = {p.pk: p for p in products}
    wanted = fitting.Need(
        amount=need.amount,
        term=need.term,
        has_collateral=bool(need.collateral.strip()),
        urgent=need.urgency == "urgent",
    )
    plain = [
        fitting.Product(
            p.pk,
            p.kind,
            p.amount_min,
            p.amount_max,
            p.term_min,
            p.term_max,
            p.rate_min,
            p.rate_max,
            tuple(conditions_of(p)),
        )
        for p in products
    ]
    return [(by_pk[f.product], f) for f in fitting.rank(wanted, plain, facts)]


def _states_json(result: fitting.Fit) -> list[dict[str, str]]:
    return [
        {"key": c.key, "label": c.label, "clause": c.clause, "state": state}
        for c, state in result.states
    ]


@transaction.atomic
def match(user: User, need: FinancingNeed) -> list[NeedMatch]:
    """Propose the best eligible products (at most MAX_MATCHES) and move the need to 已匹配."""
    need = FinancingNeed.objects.select_for_update().get(pk=need.pk)
    action = "match" if need.status == NeedStatus.REGISTERED else "rematch"
    step = _step(need, action)
    _ensure_region_officer(user, need.enterprise)
    fits = [(p, f) for p, f in fit_need(need) if f.eligible][:MAX_MATCHES]
    if not fits:
        raise Invalid(_("没有符合该需求的在售金融产品(额度、期限、抵质押或准入条件不符)。"))
    NeedMatch.objects.filter(need=need).delete()
    rows = [
        NeedMatch.objects.create(
            need=need,
            product=product,
            rank=rank,
            score=result.score,
            reasons=result.reasons,
            conditions=_states_json(result),
        )
        for rank, (product, result) in enumerate(fits, start=1)
    ]
    _record(user, need, step, note=_("匹配 %(n)d 个产品") % {"n": len(rows)})
    return rows


# ---------------------------------------------------------------- lifecycle


# The lifecycle's button labels as translatable strings (finance/lifecycle.py has no Django):
# the same words, so the page's {% translate t.label %} and these share their catalogue entries.
ACTION_LABELS = {
    "match": gettext_lazy("匹配产品"),
    "rematch": gettext_lazy("重新匹配"),
    "contact": gettext_lazy("银行已对接"),
    "approve": gettext_lazy("审批通过"),
    "decline": gettext_lazy("审批未通过"),
    "disburse": gettext_lazy("已放款"),
    "withdraw": gettext_lazy("撤回需求"),
}


def action_label(transition: lifecycle.Transition) -> str:
    """The transition's label in the user's language."""
    return str(ACTION_LABELS.get(transition.action, transition.label))


def _step(need: FinancingNeed, action: str) -> lifecycle.Transition:
    try:
        return lifecycle.find(need.status, action)
    except lifecycle.IllegalMove:
        allowed = words.join(action_label(t) for t in lifecycle.allowed(need.status)) or _("无")
        raise IllegalTransition(
            _("需求当前为“%(state)s”,不能执行该操作(可执行:%(allowed)s)。")
            % {"state": NeedStatus(need.status).label, "allowed": allowed}
        ) from None


def _record(
    user: User,
    need: FinancingNeed,
    step: lifecycle.Transition,
    amount: int | None = None,
    on: date | None = None,
    note: str = "",
) -> None:
    source = need.status
    need.status = step.target
    need.save()
    NeedEvent.objects.create(
        need=need,
        action=step.action,
        source=source,
        target=step.target,
        amount=amount,
        on=on,
        note=note,
        by=user,
    )


def _ensure_may_move(user: User, need: FinancingNeed, bank: Bank | None) -> None:
    """Region officers move any step; a bank's staff only steps on their own bank's product."""
    if user.is_superuser:
        return
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    own = _bank_of(user)
    if own is not None:
        if bank is None or bank.pk != own.pk:
            raise Forbidden(_("银行员工只能处理与本行产品对接的需求。"))
        return
    _ensure_region_officer(user, need.enterprise)


@transaction.atomic
def transition(
    user: User,
    need: FinancingNeed,
    action: str,
    *,
    product: FinanceProduct | None = None,
    amount: int | None = None,
    on: date | None = None,
    note: str = "",
) -> FinancingNeed:
    """The one place a need changes state (match has its own entry because it scores)."""
    if action in ("match", "rematch"):
        match(user, need)
        need.refresh_from_db()
        return need
    need = FinancingNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
    if not visible_needs(user).filter(pk=need.pk).exists():
        raise NotFound(_("融资需求不存在或无权查看。"))
    step = _step(need, action)
    if step.needs_product:
        if product is None:
            raise Invalid.on("product", _("请选择对接的金融产品。"))
        if not NeedMatch.objects.filter(need=need, product=product).exists():
            raise Invalid.on("product", _("只能对接已匹配给该需求的产品。"))
        need.product = product
    bank = need.product.bank if need.product is not None else None
    if step.action == "withdraw":
        _ensure_region_officer(user, need.enterprise)
    else:
        _ensure_may_move(user, need, bank)
    problem = lifecycle.check_amounts(step, need.amount, amount, need.approved_amount)
    if problem:
        raise Invalid.on("amount", problem)
    if step.needs_date:
        on = on or timezone.localdate()
        if on < need.registered_on:
            raise Invalid.on("on", _("日期不能早于需求登记日期。"))
    if step.action in ("approve", "decline"):
        need.decided_on = on
        need.approved_amount = amount if step.action == "approve" else None
    if step.action == "disburse":
        assert on is not None
        if need.decided_on and on < need.decided_on:
            raise Invalid.on("on", _("放款日期不能早于审批日期。"))
        need.disbursed_amount, need.disbursed_on = amount, on
    _record(user, need, step, amount=amount, on=on, note=note)
    return need


# ---------------------------------------------------------------- figures


@dataclass
class Figures:
    """The programme's figures, computed from the records (integer 元)."""

    needs: int = 0
    needs_amount: int = 0
    enterprises_registered: int = 0
    enterprises_financed: int = 0
    approved_amount: int = 0
    disbursed_amount: int = 0
    _registered: set[int] = field(default_factory=set, repr=False)
    _financed: set[int] = field(default_factory=set, repr=False)

    def add(self, row: Mapping[str, Any]) -> None:
        self.needs += 1
        self.needs_amount += row["amount"]
        self._registered.add(row["enterprise_id"])
        self.enterprises_registered = len(self._registered)
        self.approved_amount += row["approved_amount"] or 0
        if row["status"] == NeedStatus.DISBURSED:
            self.disbursed_amount += row["disbursed_amount"] or 0
            self._financed.add(row["enterprise_id"])
            self.enterprises_financed = len(self._financed)

    def as_dict(self) -> dict[str, int]:
        return {
            "needs": self.needs,
            "needs_amount": self.needs_amount,
            "enterprises_registered": self.enterprises_registered,
            "enterprises_financed": self.enterprises_financed,
            "approved_amount": self.approved_amount,
            "disbursed_amount": self.disbursed_amount,
        }


@dataclass
class Report:
    total: Figures
    by_day: dict[date, Figures]
    by_event: dict[str, Figures]
    by_programme: dict[str, Figures]
    illustrative: bool


def figures(needs: Iterable[FinancingNeed] | QuerySet[FinancingNeed]) -> Report:
    """Totals, per registration day, per event and per programme of the product financed."""
    qs = (
        needs
        if isinstance(needs, QuerySet)
        else FinancingNeed.objects.filter(pk__in=[n.pk for n in needs])
    )
    total = Figures()
    by_day: dict[date, Figures] = defaultdict(Figures)
    by_event: dict[str, Figures] = defaultdict(Figures)
    by_programme: dict[str, Figures] = defaultdict(Figures)
    illustrative = False
    for row in qs.values(
        "amount",
        "enterprise_id",
        "status",
        "approved_amount",
        "disbursed_amount",
        "registered_on",
        "event__name",
        "product__programme__name",
        "illustrative",
    ):
        total.add(row)
        by_day[row["registered_on"]].add(row)
        by_event[row["event__name"] or _("(未关联对接会)")].add(row)
        by_programme[row["product__programme__name"] or _("(无政府项目或未对接)")].add(row)
        illustrative = illustrative or row["illustrative"]
    return Report(
        total, dict(sorted(by_day.items())), dict(by_event), dict(by_programme), illustrative
    )


SCOPES: dict[str, Callable[[Any], QuerySet[Any]]] = {
    "matching.financingneed": visible_needs,
    "matching.financeproduct": visible_products,
    "matching.bank": visible_banks,
    "matching.needmatch": visible_matches,
    "matching.needevent": visible_events,
    "matching.programme": visible_programmes,
}
