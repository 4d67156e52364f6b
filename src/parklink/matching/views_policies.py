"""Policy pages: the list, a policy (conditions, readiness, who qualifies), the officer's test
of draft conditions against real enterprises, and an enterprise's policies."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, NotFound, ParkLinkError
from parklink.core.views import INVALID, authenticated, permitted
from parklink.enterprises.models import Enterprise
from parklink.matching.forms import PolicyForm
from parklink.matching.models import Policy
from parklink.matching.queries import visible_policies
from parklink.matching.scoring import eligibility as el
from parklink.matching.services import policies

STATE_LABELS = {el.MET: _("满足"), el.NOT_MET: _("不满足"), el.UNKNOWN: _("数据缺失")}


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    rows = [
        (policy, policies.readiness(policy))
        for policy in visible_policies(user).select_related("issuer_region", "owner")
    ]
    return render(
        request, "matching/policy_list.html", {"rows": rows, "can_create": user.can_write}
    )


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    policy = policies.get_visible(user, pk)
    try:
        conditions = policies.conditions_of(policy)
        candidates = policies.enterprises_for(policy, conditions)
    except el.ConditionError as error:
        conditions, candidates = [], None
        problem = str(error)
    else:
        problem = ""
    return render(
        request,
        "matching/policy_detail.html",
        {
            "policy": policy,
            "conditions": conditions,
            "problem": problem,
            "readiness": policies.readiness(policy),
            "candidates": candidates,
            "shared": policy.shared_as.select_related("agreement"),
            "can_edit": permitted(ensure_can_write, user, policy.owner_id),
            "fields": el.FIELDS.values(),
            "conditions_json": json.dumps(policy.conditions, ensure_ascii=False, indent=2),
            "state_labels": STATE_LABELS,
        },
    )


@login_required
def policy_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft conditions (JSON) against up to 50 named enterprises, nothing saved."""
    user = authenticated(request)
    policy = policies.get_visible(user, pk)
    text = request.POST.get("conditions", "") if request.method == "POST" else ""
    raw_ids = request.POST.get("enterprises", "") if request.method == "POST" else ""
    error = ""
    results: list[Any] = []
    if request.method == "POST":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as problem:
            error = _("条件不是合法的 JSON(第 %(line)s 行第 %(col)s 列):%(msg)s") % {
                "line": problem.lineno,
                "col": problem.colno,
                "msg": problem.msg,
            }
        else:
            ids = [int(x) for x in raw_ids.replace(",", " ").split() if x.isdigit()][:50]
            chosen = list(Enterprise.objects.filter(pk__in=ids))
            if not chosen:
                chosen = list(Enterprise.objects.filter(policies.scope_q(policy)).distinct()[:20])
            try:
                results = policies.test_conditions(user, policy, raw, chosen)
                action = request.POST.get("action", "test")
                if action in ("save", "publish"):
                    policies.update_policy(user, policy, conditions=raw)
                    if action == "publish":
                        policies.publish(user, policy)
                    messages.success(
                        request,
                        _("条件已保存并发布。") if action == "publish" else _("条件已保存。"),
                    )
                    return HttpResponseRedirect(reverse("matching:policy", args=[policy.pk]))
            except Forbidden:
                raise
            except ParkLinkError as refusal:
                error = refusal.message
    else:
        text = json.dumps(policy.conditions, ensure_ascii=False, indent=2)
        ensure_can_write(user, policy.owner_id)
    return render(
        request,
        "matching/policy_test.html",
        {
            "policy": policy,
            "text": text,
            "enterprise_ids": raw_ids,
            "error": error,
            "results": results,
            "fields": el.FIELDS.values(),
            "state_labels": STATE_LABELS,
        },
        status=INVALID if error else 200,
    )


@login_required
def enterprise_policies(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enterprise = Enterprise.objects.select_related("region").filter(pk=pk).first()
    if enterprise is None:
        raise NotFound(_("企业不存在。"))
    rows = policies.for_enterprise(user, enterprise)
    return render(
        request,
        "matching/enterprise_policies.html",
        {"enterprise": enterprise, "rows": rows, "state_labels": STATE_LABELS},
    )


def _policy_form(request: HttpRequest, policy: Policy | None) -> HttpResponse:
    user = authenticated(request)
    initial: dict[str, Any] = {}
    if policy is not None:
        ensure_can_write(user, policy.owner_id)
        initial = {
            name: getattr(policy, name)
            for name in (
                "title",
                "document_number",
                "valid_from",
                "valid_to",
                "benefit_kind",
                "benefit_amount",
                "benefit_rate",
                "benefit_base",
                "benefit_cap",
                "benefit_note",
                "text",
            )
        }
        initial["issuer_region"] = policy.issuer_region
        initial["documents"] = "\n".join(policy.documents or [])
        initial["shared_as"] = list(policy.shared_as.all())
    form = PolicyForm(request.POST or None, initial=initial, organization_id=user.organization_id)
    if request.method == "POST" and form.is_valid():
        data = form.values()
        shared = list(data.pop("shared_as"))
        try:
            if policy is None:
                policy = policies.create_policy(user, **data, shared_as=shared)
            else:
                policies.update_policy(user, policy, **data)
                policy.shared_as.set([])
                policies.link_shared(user, policy, shared)
        except ParkLinkError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("政策已保存;请在测试页写明并测试享受条件后发布。"))
            return HttpResponseRedirect(reverse("matching:policy_test", args=[policy.pk]))
    status = INVALID if request.method == "POST" else 200
    return render(
        request, "matching/policy_form.html", {"form": form, "policy": policy}, status=status
    )


@login_required
def policy_create(request: HttpRequest) -> HttpResponse:
    ensure_can_write(authenticated(request), authenticated(request).organization_id)
    return _policy_form(request, None)


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _policy_form(request, policies.get_visible(authenticated(request), pk))
