"""Chain pages: the overview, a chain map of a place, places compared, targets, a metro area,
accuracy, gap rules, background classification and corrections.

Thin views: the place and the template come from the query string (`?place=region:510106&
chain=photovoltaics`), everything is computed by `services` and scoped to the user (their
projects, their organisation's templates and rules); a place or template the user may not
see is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.chains import charts, exports, tasks
from parklink.chains.forms import PlaceForm, RulesForm
from parklink.chains.models import ChainTemplate, FocusChain, MetroArea
from parklink.chains.services import (
    classification,
    metros,
    places,
    templates,
)
from parklink.chains.services import coverage as coverage_service
from parklink.chains.services import (
    rules as rule_service,
)
from parklink.chains.services import (
    targets as target_service,
)
from parklink.core.errors import Conflict, Forbidden, Invalid, NotFound
from parklink.core.forms import show_service_error
from parklink.core.models import Job
from parklink.core.views import INVALID, authenticated, permitted
from parklink.enterprises.models import Enterprise
from parklink.projects.models import ProjectStage
from parklink.regions.models import Region

SEGMENT_ROWS = 50
STAGE_NAMES = {str(code): str(name) for code, name in ProjectStage.choices}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _place_ref(request: HttpRequest) -> str:
    """`place`, or `region` given as an adcode or an exact name."""
    ref = request.GET.get("place", "").strip()
    region = request.GET.get("region", "").strip()
    if region and not ref:
        if region.isdigit():
            return f"region:{region}"
        found = (
            Region.objects.filter(name=region).order_by("adcode").first()
            or Region.objects.filter(full_name=region).order_by("adcode").first()
        )
        if found is None:
            raise NotFound(_("找不到行政区“%(name)s”") % {"name": region})
        return f"region:{found.adcode}"
    return ref


def _template(user: User, request: HttpRequest) -> ChainTemplate:
    chain = request.GET.get("chain", "").strip() or request.POST.get("chain", "").strip()
    if not chain:
        raise NotFound(_("请选择产业链"))
    return exports.template_for(user, chain)


def _query(**params: Any) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


def _template_choices(user: User) -> list[tuple[str, str]]:
    rows = templates.visible_templates(user).select_related("owner").order_by("owner_id", "name")
    return [(str(t.pk), f"{t.name}({t.owner.name})" if t.owner else t.name) for t in rows]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    visible = templates.visible_templates(user).select_related("owner")
    versions = templates.current_versions(visible)
    rows = [
        {"template": t, "version": versions.get(t.pk), "chain": templates.chain_of(versions[t.pk])}
        for t in visible.order_by("owner_id", "name")
        if t.pk in versions
    ]
    form = PlaceForm(
        places=places.choices(user), templates=_template_choices(user), auto_id="pick-%s"
    )
    job = tasks.latest(user)
    return render(
        request,
        "chains/index.html",
        {
            "rows": rows,
            "form": form,
            "metros": MetroArea.objects.prefetch_related("members__region"),
            "focus": FocusChain.objects.all(),
            "job": job,
            "pending": classification.pending(),
            "can_classify": permitted(tasks.ensure_can_start, user),
            "can_create": user.organization_id is not None and user.can_write,
        },
    )


def _map_url(place: str, template: ChainTemplate, segment: str = "") -> str:
    query = _query(place=place, chain=template.pk, segment=segment)
    return f"{reverse('chains:map')}?{query}" + ("#segment" if segment else "")


@login_required
def chain_map(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    ref = _place_ref(request)
    if not ref:
        return redirect("chains:index")
    place = places.resolve(user, ref)
    template = _template(user, request)
    found = coverage_service.coverage(user, place, template, with_sites=True)
    names = coverage_service.label_names()
    selected = request.GET.get("segment", "")
    segment = None
    if selected:
        segment = next((s for s in found.segments if s.key == selected), None)
        if segment is None:
            raise Http404(_("没有这个环节"))
    option = charts.chain_map(
        found,
        lambda key: _map_url(place.ref, template, key),
        names,
        title=f"{place.name} · {found.chain.name}",
        selected=selected,
        stage_names=STAGE_NAMES,
    )
    members: list[dict[str, Any]] = []
    if segment is not None:
        ids = found.members.get(segment.key, [])[:SEGMENT_ROWS]
        by_pk = Enterprise.objects.select_related("region").in_bulk(ids)
        evidence = classification.evidence_for(template.pk, segment.key, ids)
        members = [
            {
                "enterprise": by_pk[pk],
                "placement": found.scores[(pk, segment.key)],
                "evidence": evidence.get(pk, ()),
            }
            for pk in ids
            if pk in by_pk
        ]
    return render(
        request,
        "chains/map.html",
        {
            "found": found,
            "place": place,
            "template": template,
            "option": option,
            "height": charts.map_height(found),
            "names": names,
            "colours": {label.code: charts.label_colour(label) for label in charts.COLOURS},
            "segment": segment,
            "members": members,
            "member_total": len(found.members.get(selected, [])) if segment else 0,
            "projects": [p for p in found.project_rows if p.segment == selected],
            "query": _query(place=place.ref, chain=template.pk),
            "counts": found.label_counts(),
            "stage_text": {
                item.key: "、".join(
                    f"{STAGE_NAMES.get(stage, stage)} {count}"
                    for stage, count in sorted(item.projects.items())
                )
                for item in found.segments
            },
        },
    )


@login_required
def gaps_download(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    place = places.resolve(user, _place_ref(request))
    template = _template(user, request)
    found = coverage_service.coverage(user, place, template)
    response = HttpResponse(exports.gaps_workbook(found), content_type=XLSX)
    name = f"chain-gaps-{template.key}-v{found.version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    refs = [ref.strip() for ref in request.GET.getlist("place") if ref.strip()]
    choices = places.choices(user)
    context: dict[str, Any] = {
        "choices": choices,
        "template_choices": _template_choices(user),
        "refs": refs,
        "chain": request.GET.get("chain", ""),
    }
    known = {value for value, _name in choices}
    context["typed"] = [ref for ref in refs if ref not in known]
    if refs and request.GET.get("chain"):
        template = _template(user, request)
        context["chain"] = str(template.pk)
        resolved = [places.resolve(user, ref) for ref in refs[:6]]
        found = coverage_service.compare(user, resolved, template)
        rows = []
        for position, segment in enumerate(found[0].chain.segments):
            rows.append({"segment": segment, "cells": [item.segments[position] for item in found]})
        context.update(
            {
                "template": template,
                "found": found,
                "rows": rows,
                "names": coverage_service.label_names(),
                "chain_obj": found[0].chain,
            }
        )
    return render(request, "chains/compare.html", context)


def _targets(request: HttpRequest, user: User) -> target_service.TargetList:
    place = places.resolve(user, _place_ref(request))
    template = _template(user, request)
    segment = request.GET.get("segment", "").strip()
    return target_service.targets(user, place, template, [segment] if segment else None)


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    found = _targets(request, user)
    names = {s.key: s.name for s in found.coverage.chain.segments}
    rows = [
        {"target": t, "reasons": target_service.reason_texts(t.ranked, names)}
        for t in found.targets
    ]
    return render(
        request,
        "chains/targets.html",
        {
            "found": found,
            "rows": rows,
            "place": found.coverage.place,
            "template": found.coverage.template,
            "segment": request.GET.get("segment", ""),
            "names": coverage_service.label_names(),
            "gap_names": [names[key] for key in found.segments],
            "query": _query(
                place=found.coverage.place.ref,
                chain=found.coverage.template.pk,
                segment=request.GET.get("segment", ""),
            ),
            "can_lead": user.organization_id is not None and user.can_write,
        },
    )


@login_required
def targets_download(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    found = _targets(request, user)
    response = HttpResponse(exports.targets_workbook(found), content_type=XLSX)
    name = f"chain-targets-{found.coverage.template.key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def make_lead(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    place = places.resolve(user, request.POST.get("place", ""))
    template = _template(user, request)
    segment = request.POST.get("segment", "")
    query = _query(place=place.ref, chain=template.pk, segment=request.POST.get("filter", ""))
    back = f"{reverse('chains:targets')}?{query}"
    try:
        enterprise_id = int(request.POST.get("enterprise", ""))
    except ValueError:
        raise Http404(_("企业不存在")) from None
    try:
        lead = target_service.make_lead(user, place, template, segment, enterprise_id)
    except (Invalid, Conflict) as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request, _("已建立线索“%(name)s”,归本机构所有。") % {"name": lead.project.name}
    )
    return redirect("projects:detail", lead.project_id)


@login_required
def metro(request: HttpRequest, key: str) -> HttpResponse:
    user = authenticated(request)
    place = places.resolve(user, f"metro:{key}")
    division = coverage_service.metro_division(user, place)
    metro_area = MetroArea.objects.get(key=key)
    leads = list(metro_area.leads.select_related("region").order_by("region_id", "chain_key"))
    shipped = {row.chain.key for row in division}
    rows: list[dict[str, Any]] = []
    for item in division:
        rows.append(
            {
                "item": item,
                "cities": [
                    {
                        "share": share,
                        "carried": share.carried(item.chain),
                        "roles": share.roles(item.chain),
                        "lead": item.lead is not None
                        and item.lead.region_id == share.place.region.pk
                        if share.place.region
                        else False,
                    }
                    for share in item.cities
                ],
            }
        )
    members = places.member_places(place)
    heatmap = charts.division_heatmap(
        [row["item"].chain.name for row in rows],
        [member.name for member in members],
        [[len(city["carried"]) for city in row["cities"]] for row in rows],
        [next((i for i, city in enumerate(row["cities"]) if city["lead"]), None) for row in rows],
    )
    return render(
        request,
        "chains/metro.html",
        {
            "heatmap": heatmap,
            "heatmap_height": 120 + 32 * len(rows),
            "metro": metro_area,
            "can_edit": metros.can_edit_metro(user, metro_area),
            "place": place,
            "rows": rows,
            "members": members,
            "missing_templates": [lead for lead in leads if lead.chain_key not in shipped],
            "role_names": {
                "rnd": _("研发"),
                "manufacturing": _("制造"),
                "service": _("服务"),
                "terminal": _("终端"),
            },
            "names": coverage_service.label_names(),
        },
    )


@login_required
def accuracy(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    found = classification.accuracy(user)
    per_chain = [
        {
            "key": key,
            "n": n,
            "top1": found.rate(top1, n),
            "top3": found.rate(top3, n),
        }
        for key, (n, top1, top3) in sorted(found.per_chain.items())
    ]
    return render(
        request,
        "chains/accuracy.html",
        {
            "found": found,
            "top1": found.rate(found.top1),
            "top3": found.rate(found.top3),
            "per_chain": per_chain,
        },
    )


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    can_set = permitted(rule_service.ensure_can_set, user)
    values = rule_service.current(user)
    form = RulesForm(request.POST or None, initial=values)
    status = 200
    if request.method == "POST":
        if not can_set:
            raise Forbidden(_("只有本机构管理员可以调整缺链判定规则。"))
        if request.POST.get("reset"):
            rule_service.reset(user)
            messages.success(request, _("已恢复默认规则。"))
            return redirect("chains:rules")
        if form.is_valid():
            try:
                rule_service.set_rules(user, **form.cleaned_data)
            except Invalid as error:
                show_service_error(form, error)
                status = INVALID
            else:
                messages.success(request, _("缺链判定规则已保存。"))
                return redirect("chains:rules")
        else:
            status = INVALID
    return render(
        request,
        "chains/rules.html",
        {"form": form, "values": values, "can_set": can_set},
        status=status,
    )


@login_required
@require_POST
def classify(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    job = tasks.start(user, changed_only=request.POST.get("scope") == "changed")
    messages.info(request, _("已开始后台分类。"))
    return redirect(f"{reverse('chains:index')}?job={job.pk}#classification")


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    authenticated(request)
    job = Job.objects.filter(pk=pk, kind=tasks.KIND).first()
    if job is None:
        raise Http404
    return render(request, "chains/_job.html", {"job": job})


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    enterprise = classification.get_enterprise(pk)
    picked = request.POST.get("pick", "")  # "template:segment" from the by-hand form
    template_id, _sep, picked_segment = picked.partition(":")
    if not picked:
        template_id = request.POST.get("template", "")
    if not template_id.isdigit():
        raise Http404(_("没有这个产业链模板"))
    template = templates.get_visible(user, int(template_id))
    action = request.POST.get("action", "correct")
    try:
        if action == "clear":
            classification.clear_correction(user, enterprise, template)
            messages.success(request, _("已撤销人工修正,恢复自动分类结果。"))
        else:
            segments = [picked_segment] if picked else request.POST.getlist("segments")
            if action == "none":
                segments = []
            elif not segments:
                raise Invalid.on("segments", _("请至少选择一个环节,或选择“不属于该产业链”"))
            classification.correct(
                user, enterprise, template, segments, request.POST.get("note", "")
            )
            messages.success(request, _("已保存环节归属。"))
    except Invalid as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('enterprises:detail', args=[enterprise.pk])}#chains")
