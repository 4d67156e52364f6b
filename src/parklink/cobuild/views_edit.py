"""Co-built park pages that change an agreement: drafting and editing with its parties, an
amendment (a new version), and the rule editor of a version. Thin: the forms parse, the
services decide, their refusals land next to the fields they name.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.cobuild.forms import (
    AgreementForm,
    AmendForm,
    RuleForm,
    initial_of,
    kind_example,
    party_list,
    party_specs,
    rule_initial,
    show_rule_error,
)
from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.models import Agreement, AgreementVersion, Rule
from parklink.cobuild.services import access, agreements, overview, rules, versions
from parklink.cobuild.views import agreement_or_404, allowed
from parklink.core.errors import Conflict, Forbidden, NotFound, ParkLinkError
from parklink.core.forms import Outcome, RowList, refusals_on
from parklink.core.views import INVALID, authenticated
from parklink.enterprises.models import Enterprise

CONFLICT = 409


def _refused_status(data: Any, outcome: Outcome | None) -> int:
    """200 for a blank form; 409 when a service refused with a conflict (a duplicate title);
    else the status of a form with errors."""
    if data is None:
        return 200
    if outcome is not None and isinstance(outcome.error, Conflict):
        return CONFLICT
    return INVALID


# ---------------------------------------------------------------- agreement and parties


def _show_problems(form: AgreementForm, parties: RowList, error: ParkLinkError) -> None:
    """A service's refusal: the agreement's fields on the form, the parties' above their rows."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    placed = False
    for name, problem in detail.items():
        if not isinstance(problem, str):
            continue
        if name in form.fields:
            form.add_error(name, problem)
            placed = True
        elif name == "parties":
            parties.formset.non_form_errors().append(problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _render_form(
    request: HttpRequest,
    form: AgreementForm,
    parties: RowList,
    agreement: Agreement | None,
    status: int = 200,
    locked: bool = False,
) -> HttpResponse:
    return render(
        request,
        "cobuild/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "agreement": agreement,
            "locked": locked,
            "rows_invalid": parties.formset.is_bound
            and (parties.formset.total_error_count() or parties.formset.non_form_errors()),
        },
        status=status,
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    """Draft an agreement: its text, its parties and the date version 1 takes effect."""
    user = authenticated(request)
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能起草协议。"))
    choose_owner = user.is_superuser and user.organization_id is None
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, choose_owner=choose_owner)
    parties = party_list(data, None)
    done: Outcome | None = None
    if data is not None and all([form.is_valid(), parties.is_valid()]):
        owner = form.cleaned_data.get("owner")
        owner_id = owner.pk if owner is not None else user.organization_id
        if owner_id is None:
            raise Forbidden(_("请先加入一个机构,再起草协议。"))
        with refusals_on(form, show=lambda error: _show_problems(form, parties, error)) as done:
            made = agreements.create_agreement(
                user,
                owner_id=owner_id,
                effective_from=form.cleaned_data["effective_from"],
                parties=party_specs(parties.items() or []),
                **form.service_fields(),
            )
        if done.ok:
            messages.success(request, _("协议草案已创建。"))
            return HttpResponseRedirect(reverse("cobuild:detail", args=[made.pk]))
    return _render_form(request, form, parties, None, _refused_status(data, done))


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft (or an agreement under negotiation) and its parties, all or nothing."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    access.ensure_officer(user, agreement)  # 403 for viewers and admins' strangers
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, creating=False, initial=initial_of(agreement))
    parties = party_list(data, agreement)
    locked = not allowed(access.ensure_editable, user, agreement)
    done: Outcome | None = None
    if not locked and data is not None and all([form.is_valid(), parties.is_valid()]):
        show = lambda error: _show_problems(form, parties, error)  # noqa: E731
        with refusals_on(form, show=show) as done, transaction.atomic():
            agreements.update_agreement(user, agreement, **form.service_fields())
            agreements.set_parties(user, agreement, party_specs(parties.items() or []))
        if done.ok:
            messages.success(request, _("协议已保存。"))
            return HttpResponseRedirect(reverse("cobuild:detail", args=[pk]))
    status = CONFLICT if locked and data is not None else _refused_status(data, done)
    return _render_form(request, form, parties, agreement, status, locked=locked)


# ---------------------------------------------------------------- amendments


@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version from a date on, starting as a copy of the latest version's rules."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    access.ensure_officer(user, agreement)
    data = request.POST if request.method == "POST" else None
    form = AmendForm(data)
    if data is not None and form.is_valid():
        with refusals_on(form) as done:
            version = versions.amend(
                user, agreement, form.cleaned_data["effective_from"], form.cleaned_data["note"]
            )
        if done.ok:
            messages.success(request, _("已新建第%(number)d版。") % {"number": version.number})
            return redirect("cobuild:rules", pk=pk, number=version.number)
    latest = agreement.versions.order_by("-number").first()
    return render(
        request,
        "cobuild/amend.html",
        {"agreement": agreement, "form": form, "latest": latest},
        status=INVALID if data is not None else 200,
    )


# ---------------------------------------------------------------- rules


def _version_or_404(agreement: Agreement, number: int) -> AgreementVersion:
    return get_object_or_404(AgreementVersion, agreement=agreement, number=number)


def _rule_or_404(agreement: Agreement, rule_pk: int) -> Rule:
    rule = (
        Rule.objects.filter(version__agreement=agreement, pk=rule_pk)
        .select_related("version", "scope_party")
        .first()
    )
    if rule is None:
        raise NotFound(_("规则不存在。"), detail={"rule": rule_pk})
    return rule


def _enterprise_choices(agreement: Agreement) -> QuerySet[Enterprise]:
    """The enterprises the agreement knows: covered, named by a rule, or with figures."""
    return (
        Enterprise.objects.filter(
            Q(cobuild_terms__agreement=agreement)
            | Q(pk__in=agreement.records.values("enterprise_id"))
            | Q(pk__in=Rule.enterprises.through.objects.filter(
                rule__version__agreement=agreement).values("enterprise_id"))
        )
        .distinct()
        .order_by("name")
    )  # fmt: skip


def rule_form(agreement: Agreement, data: Any = None, **kwargs: Any) -> RuleForm:
    parties = [
        (p.key, f"{p.organization.name} ({p.key})")
        for p in agreement.parties.select_related("organization").order_by("order")
    ]
    return RuleForm(
        data,
        parties=parties,
        enterprises=_enterprise_choices(agreement),
        english=overview.english(),
        **kwargs,
    )


def _save(user: User, version: AgreementVersion, form: RuleForm, rule: Rule | None) -> bool:
    if not form.is_valid():
        return False
    parties = {p.key: p for p in version.agreement.parties.all()}
    with refusals_on(form, show=lambda error: show_rule_error(form, error)) as done:
        rules.save_rule(user, version, rule, **form.service_fields(parties))
    return done.ok


def _rules_page(
    request: HttpRequest,
    agreement: Agreement,
    version: AgreementVersion,
    form: RuleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = authenticated(request)
    can_change = allowed(versions.ensure_rules_editable, user, version)
    items = list(
        version.rules.select_related("scope_party__organization")
        .prefetch_related("enterprises")
        .order_by("order", "id")
    )
    return render(
        request,
        "cobuild/rules.html",
        {
            "agreement": agreement,
            "version": version,
            "versions": list(agreement.versions.order_by("number")),
            "rules": [
                {
                    "rule": r,
                    "kind": overview.kind_name(r.kind),
                    "scope": overview.scope_text(r),
                    "params": json.dumps(r.params, ensure_ascii=False, indent=1),
                }
                for r in items
            ],
            "locked": versions.is_locked(version),
            "can_change": can_change,
            "form": form if form is not None else (rule_form(agreement) if can_change else None),
            "examples": {code: kind_example(code) for code in KINDS},
        },
        status=status,
    )


@login_required
def rule_list(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A version's rules, and (while they may change) the form that adds one."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    version = _version_or_404(agreement, number)
    if request.method != "POST":
        return _rules_page(request, agreement, version)
    access.ensure_officer(user, agreement)  # 403 for viewers
    form = rule_form(agreement, request.POST)
    if _save(user, version, form, None):
        messages.success(request, _("规则已添加。"))
        return redirect("cobuild:rules", pk=pk, number=number)
    return _rules_page(request, agreement, version, form, INVALID)


@login_required
def rule_edit(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    rule = _rule_or_404(agreement, rule_pk)
    access.ensure_officer(user, agreement)
    data = request.POST if request.method == "POST" else None
    form = rule_form(agreement, data, initial=rule_initial(rule))
    if data is not None and _save(user, rule.version, form, rule):
        messages.success(request, _("规则已保存。"))
        return redirect("cobuild:rules", pk=pk, number=rule.version.number)
    return render(
        request,
        "cobuild/rule_form.html",
        {
            "agreement": agreement,
            "version": rule.version,
            "rule": rule,
            "form": form,
            "can_change": allowed(versions.ensure_rules_editable, user, rule.version),
            "examples": {code: kind_example(code) for code in KINDS},
        },
        status=INVALID if data is not None else 200,
    )


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    rule = _rule_or_404(agreement, rule_pk)
    number = rule.version.number
    try:
        rules.delete_rule(user, rule)
    except Forbidden:
        raise
    except ParkLinkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("规则已删除。"))
    return redirect("cobuild:rules", pk=pk, number=number)
