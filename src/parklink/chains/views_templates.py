"""Template pages: one template with its segments and versions, editing it as YAML (every save
a new version, refused with the parser's words when it does not parse), copying, creating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.chains.forms import TemplateForm
from parklink.chains.services import templates
from parklink.core.errors import Forbidden, Invalid
from parklink.core.forms import show_service_error
from parklink.core.views import INVALID, authenticated

STAGE_NAMES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
ROLE_NAMES = {"rnd": "研发", "manufacturing": "制造", "service": "服务", "terminal": "终端"}


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    template = templates.get_visible(user, pk)
    versions = list(template.versions.select_related("created_by").order_by("-number"))
    number = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == number), None) or versions[0]
    chain = templates.chain_of(version)
    names = {s.key: s.name for s in chain.segments}
    return render(
        request,
        "chains/template_detail.html",
        {
            "template": template,
            "version": version,
            "versions": versions,
            "chain": chain,
            "segments": [
                {
                    "segment": s,
                    "stage": _(STAGE_NAMES[s.stage]),
                    "role": _(ROLE_NAMES[s.role]),
                    "parent": names.get(s.parent or "", ""),
                    "suppliers": [names[x.key] for x in chain.upstream_of(s.key)],
                }
                for s in chain.order()
            ],
            "can_edit": templates.can_edit(user, template),
            "can_copy": user.organization_id is not None and user.can_write,
        },
    )


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    template = templates.get_visible(user, pk)
    templates.ensure_can_edit(user, template)
    current = templates.current_version(template)
    form = TemplateForm(request.POST or None, initial={"text": current.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = templates.save_version(
                    user, template, form.cleaned_data["text"], form.cleaned_data["note"]
                )
            except Invalid as error:
                show_service_error(form, error)
                status = INVALID
            else:
                messages.success(
                    request,
                    _("已保存为第 %(n)s 版;地图将在重新分类后按新版本计算。")
                    % {"n": version.number},
                )
                return redirect("chains:template", template.pk)
        else:
            status = INVALID
    return render(
        request,
        "chains/template_form.html",
        {"form": form, "template": template, "current": current},
        status=status,
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if user.organization_id is None or not user.can_write:
        raise Forbidden(_("只有机构的专员或管理员可以新建模板。"))
    form = TemplateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                template = templates.create_template(
                    user, form.cleaned_data["text"], form.cleaned_data["note"]
                )
            except Invalid as error:
                show_service_error(form, error)
                status = INVALID
            else:
                messages.success(request, _("模板已创建。"))
                return redirect("chains:template", template.pk)
        else:
            status = INVALID
    return render(
        request,
        "chains/template_form.html",
        {"form": form, "template": None, "current": None},
        status=status,
    )


@login_required
@require_POST
def template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    source = templates.get_visible(user, pk)
    copy = templates.copy_template(user, source)
    messages.success(request, _("已复制为本机构的模板,可以编辑。"))
    return redirect("chains:template", copy.pk)
