"""Status changes of an agreement: the only writer of `Agreement.status`, with its history."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild import lifecycle
from parklink.cobuild.lifecycle import Status
from parklink.cobuild.models import Agreement, AgreementStatus, AgreementTransition
from parklink.cobuild.services.access import ensure_officer
from parklink.core.dates import DateKind, refusal
from parklink.core.errors import IllegalTransition, Invalid

NOTE_REQUIRED = frozenset({Status.TERMINATED})
MIN_PARTIES_TO_SIGN = 2


def allowed_next(agreement: Agreement) -> list[str]:
    return [status.value for status in lifecycle.allowed_targets(agreement.status)]


@transaction.atomic
def transition(
    user: User, agreement: Agreement, to: str, *, on: date | None = None, note: str = ""
) -> AgreementTransition:
    """Move the agreement to `to` on `on` (default today); refuses moves the table forbids.

    Signing needs at least two parties and records `signed_on`; terminating needs a reason.
    """
    ensure_officer(user, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    labels = dict(AgreementStatus.choices)
    if not lifecycle.is_allowed(agreement.status, to):
        allowed = "、".join(str(labels[s]) for s in allowed_next(agreement)) or "—"
        raise IllegalTransition(
            _("协议不能从“%(current)s”变更为“%(target)s”;允许的下一状态:%(allowed)s")
            % {
                "current": labels[agreement.status],
                "target": labels.get(to, to),
                "allowed": allowed,
            },
            detail={"from": agreement.status, "to": to, "allowed": allowed_next(agreement)},
        )
    target = Status(to)
    when = on or timezone.localdate()
    if refusal(DateKind.EVENT, when, timezone.localdate()) is not None:
        raise Invalid.on("date", _("日期不能早于1949-10-01,也不能晚于今天。"))
    if target in NOTE_REQUIRED and not note.strip():
        raise Invalid.on("note", _("终止协议时必须说明原因。"))
    if target is Status.SIGNED and agreement.parties.count() < MIN_PARTIES_TO_SIGN:
        raise Invalid.on("to", _("协议至少需要两个协议方才能签署。"))
    record = AgreementTransition.objects.create(
        agreement=agreement,
        from_status=agreement.status,
        to_status=target.value,
        effective_on=when,
        actor=user,
        note=note,
    )
    agreement.status = target.value
    if target is Status.SIGNED:
        agreement.signed_on = when
    agreement._change_reason = note  # type: ignore[attr-defined]  # read by simple_history
    agreement.save()
    return record
