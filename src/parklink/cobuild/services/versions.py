"""Versions of an agreement: which one a period is settled under, and amendments.

A period is always settled under the version in force for it: the latest version whose
`effective_from` is on or before the period's first day. A version under which a run has been
confirmed never changes again (its rules included), so old settlements stay reproducible; an
amendment is a new version that starts as a copy of the latest one's rules.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild import lifecycle
from parklink.cobuild.models import Agreement, AgreementVersion, Rule, RunStatus
from parklink.cobuild.services.access import ensure_officer
from parklink.core.errors import Conflict, Invalid


def version_for(agreement: Agreement, on: date) -> AgreementVersion | None:
    """The version in force on `on` (effective_from ≤ on, the latest such), or None."""
    return agreement.versions.filter(effective_from__lte=on).order_by("-effective_from").first()


def require_version_for(agreement: Agreement, on: date) -> AgreementVersion:
    version = version_for(agreement, on)
    if version is None:
        raise Invalid.on(
            "period",
            _("%(date)s 时协议尚无生效的版本。") % {"date": on.isoformat()},
        )
    return version


def is_locked(version: AgreementVersion) -> bool:
    """True once a run has been confirmed under the version (superseded ones count too)."""
    return version.runs.exclude(status=RunStatus.DRAFT).exists()


def ensure_rules_editable(user: User, version: AgreementVersion) -> None:
    """Refuse a change to a version's rules once a run was confirmed under it, or once the
    agreement has ended."""
    agreement = version.agreement
    ensure_officer(user, agreement)
    if agreement.status in (lifecycle.Status.EXPIRED, lifecycle.Status.TERMINATED):
        raise Conflict(_("协议已结束,不能再修改规则。"), detail={"status": agreement.status})
    if is_locked(version):
        raise Conflict(
            _("第%(number)d版已有确认的结算,规则不能再修改;请新建修订版本。")
            % {"number": version.number},
            detail={"version": version.number},
        )


@transaction.atomic
def amend(
    user: User, agreement: Agreement, effective_from: date, note: str = ""
) -> AgreementVersion:
    """A new version from `effective_from` on, starting with a copy of the latest one's rules.

    It takes effect after every existing version (a confirmed settlement is never re-based).
    """
    ensure_officer(user, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status in (lifecycle.Status.EXPIRED, lifecycle.Status.TERMINATED):
        raise Conflict(_("协议已结束,不能再修订。"), detail={"status": agreement.status})
    latest = agreement.versions.order_by("-number").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise Invalid.on(
            "effective_from",
            _("修订的生效日期须晚于第%(number)d版的生效日期(%(date)s)。")
            % {"number": latest.number, "date": latest.effective_from.isoformat()},
        )
    settled_until = agreement.runs.filter(status=RunStatus.CONFIRMED).aggregate(
        end=Max("period_end")
    )["end"]
    if settled_until is not None and effective_from <= settled_until:
        raise Invalid.on(
            "effective_from",
            _("%(date)s 之前的结算期已确认,修订须在其后生效。")
            % {"date": settled_until.isoformat()},
        )
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        effective_from=effective_from,
        note=note,
        created_by=user,
    )
    if latest is not None:
        copy_rules(latest, version)
    return version


def copy_rules(source: AgreementVersion, target: AgreementVersion) -> None:
    """Copy every rule (keys included, so caps carry over) from one version to another."""
    for rule in source.rules.prefetch_related("enterprises"):
        enterprises = list(rule.enterprises.all())
        copied = Rule.objects.create(
            version=target,
            key=rule.key,
            indicator=rule.indicator,
            scope_kind=rule.scope_kind,
            scope_party=rule.scope_party,
            kind=rule.kind,
            params=rule.params,
            order=rule.order,
            note=rule.note,
            illustrative=rule.illustrative,
        )
        copied.enterprises.set(enterprises)
