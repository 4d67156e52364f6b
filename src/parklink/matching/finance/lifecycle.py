"""The lifecycle of a financing need, as a table (no Django import).

registered → matched → contacted → approved / declined → disbursed. A need may also be
withdrawn by the enterprise before any money moves. Each transition names what it requires:
an approval carries the approved amount, a disbursement the disbursed amount and its date.
"""

from __future__ import annotations

from dataclasses import dataclass

REGISTERED = "registered"
MATCHED = "matched"
CONTACTED = "contacted"
APPROVED = "approved"
DECLINED = "declined"
DISBURSED = "disbursed"
WITHDRAWN = "withdrawn"

STATES = (REGISTERED, MATCHED, CONTACTED, APPROVED, DECLINED, DISBURSED, WITHDRAWN)
FINAL = frozenset({DECLINED, DISBURSED, WITHDRAWN})


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str  # Chinese button label
    needs_product: bool = False  # the bank product concerned must be named
    needs_amount: bool = False
    needs_date: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("match", REGISTERED, MATCHED, "匹配产品"),
    Transition("rematch", MATCHED, MATCHED, "重新匹配"),
    Transition("contact", MATCHED, CONTACTED, "银行已对接", needs_product=True),
    Transition("approve", CONTACTED, APPROVED, "审批通过", needs_amount=True, needs_date=True),
    Transition("decline", CONTACTED, DECLINED, "审批未通过", needs_date=True),
    Transition("disburse", APPROVED, DISBURSED, "已放款", needs_amount=True, needs_date=True),
    Transition("withdraw", REGISTERED, WITHDRAWN, "撤回需求"),
    Transition("withdraw", MATCHED, WITHDRAWN, "撤回需求"),
    Transition("withdraw", CONTACTED, WITHDRAWN, "撤回需求"),
)


class IllegalMove(ValueError):
    """The action is not allowed from the need's current state (message in Chinese)."""


def allowed(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


def find(state: str, action: str) -> Transition:
    for transition in TRANSITIONS:
        if transition.source == state and transition.action == action:
            return transition
    options = "、".join(t.action for t in allowed(state)) or "无"
    raise IllegalMove(f"当前状态“{state}”不能执行“{action}”(可执行:{options})")


def check_amounts(
    transition: Transition, requested: int, amount: int | None, approved: int | None
) -> str | None:
    """The reason an amount (元) is refused for this transition, or None when it is fine."""
    if not transition.needs_amount:
        return None
    if amount is None:
        return "须填写金额(元)"
    if amount <= 0:
        return "金额须大于零"
    if transition.action == "approve" and amount > requested:
        return f"审批金额 {amount} 元超过申请金额 {requested} 元"
    if transition.action == "disburse" and approved is not None and amount > approved:
        return f"放款金额 {amount} 元超过审批金额 {approved} 元"
    return None
