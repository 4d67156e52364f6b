"""Policy pages: the list, a policy (conditions, readiness, who qualifies), the officer's test
of draft conditions against real enterprises, and an enterprise's policies."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parklink.accounts.services import ensure_can_write
from parklink.core.errors import NotFound, ParkLinkError
from parklink.core.views import INVALID, authenticated, permitted
from parklink.enterprises.models import Enterprise
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
    return render(request, "matching/policy_list.html", {"rows": rows})


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
