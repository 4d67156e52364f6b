"""Two-party sign-off: a run binds once an officer of each party has confirmed it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild.ledger.types import Period
from parklink.cobuild.models import Confirmation, Run, RunStatus
from parklink.cobuild.services.access import party_officer
from parklink.cobuild.services.records import settled_runs
from parklink.cobuild.services.runs import ensure_current
from parklink.core.errors import Conflict


@transaction.atomic
def confirm(user: User, run: Run) -> Confirmation:
    """Record the user's party's confirmation; the last party's makes the run confirmed.

    Only an officer (or admin) of a party confirms, for their own party, once; a confirmed or
    superseded run takes no more confirmations.
    """
    run = Run.objects.select_for_update().select_related("agreement").get(pk=run.pk)
    party = party_officer(user, run.agreement)
    if run.status != RunStatus.DRAFT:
        raise Conflict(_("该结算已确认或已被替换,不能再确认。"), detail={"status": run.status})
    if run.confirmations.filter(party=party).exists():
        raise Conflict(
            _("%(party)s 已确认过该结算。") % {"party": party.organization.name},
            detail={"party": party.key},
        )
    ensure_current(run)
    period = Period(run.period_label, run.period_start, run.period_end)
    if settled_runs(run.agreement, period).exists():
        raise Conflict(_("该结算期已有确认的结算。"), detail={"period": run.period_label})
    confirmation = Confirmation.objects.create(run=run, party=party, user=user)
    parties = set(run.agreement.parties.values_list("pk", flat=True))
    confirmed = set(run.confirmations.values_list("party_id", flat=True))
    if parties <= confirmed:
        run.status = RunStatus.CONFIRMED
        run.confirmed_at = timezone.now()
        run.save(update_fields=["status", "confirmed_at"])
    return confirmation
