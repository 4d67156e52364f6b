"""驻点招商 pages: offices and resident teams, their leads, targets and results; the panel on a
project's page that sets the office a project came from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.core.errors import Invalid, NotFound
from parklink.core.forms import show_service_error
from parklink.core.views import authenticated
from parklink.kpi import shown
from parklink.kpi.engine import periods
from parklink.kpi.engine.names import BY_NAME
from parklink.kpi.models import LiaisonOffice, OfficeKind, OfficeLead
from parklink.kpi.queries import visible_offices
from parklink.kpi.services import liaison
from parklink.kpi.services.targets import parse_period
from parklink.parks.models import Park
from parklink.projects.models import Project
from parklink.projects.queries import today, visible_projects
from parklink.regions.forms import RegionField


class OfficeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=OfficeKind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    region = RegionField(label=gettext_lazy("所在城市"), required=False)
    park = forms.ModelChoiceField(
        label=gettext_lazy("驻点园区"), queryset=Park.objects.order_by("name"), required=False
    )
    staff = forms.ModelMultipleChoiceField(
        label=gettext_lazy("人员(系统用户)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_names = forms.CharField(
        label=gettext_lazy("人员(姓名)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("无系统账号的人员,用顿号分隔"),
    )
    since = forms.DateField(
        label=gettext_lazy("设立日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active = forms.BooleanField(label=gettext_lazy("在运行"), required=False, initial=True)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=500, required=False)

    def __init__(self, *args: Any, org_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(organization_id=org_id or 0, is_active=True).order_by(
            "username"
        )
        self.fields["staff"].queryset = members  # type: ignore[attr-defined]


def _period(request: HttpRequest) -> periods.Period:
    label = request.GET.get("period") or str(today().year)
    return parse_period(label)


def _value(kind: str, value: Any, qualifiers: dict[str, str] | None = None) -> str:
    return shown.figure(kind, value, qualifiers)


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    try:
        period = _period(request)
    except Invalid as exc:
        return render(request, "kpi/bad_request.html", {"message": exc.message}, status=400)
    offices = list(
        visible_offices(user)
        .select_related("organization", "region", "park")
        .order_by("organization__name", "kind", "name")
    )
    ids = [o.pk for o in offices]
    found = liaison.results(user, ids, period)
    goals = liaison.office_targets(ids, period)
    rows = [
        {
            "office": o,
            "results": found[o.pk],
            "signed": _value("signed_count", found[o.pk].values["signed_count"]),
            "amount": _value(
                "signed_amount", found[o.pk].values["signed_amount"], found[o.pk].qualifiers
            ),
            "funds": _value("funds_total", found[o.pk].values["funds_total"]),
            "targets": len(goals[o.pk]),
        }
        for o in offices
    ]
    counts = {
        kind: sum(1 for o in offices if o.kind == kind and o.active) for kind in OfficeKind.values
    }
    return render(
        request,
        "kpi/offices.html",
        {
            "rows": rows,
            "period": period,
            "counts": counts,
            "can_write": user.can_write and user.organization_id is not None,
        },
    )


@login_required
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    office = liaison.get_office(user, pk)
    try:
        period = _period(request)
    except Invalid as exc:
        return render(request, "kpi/bad_request.html", {"message": exc.message}, status=400)
    found = liaison.results(user, [office.pk], period)[office.pk]
    goals = liaison.office_targets([office.pk], period)[office.pk]
    table = []
    for kind in liaison.RESULT_KINDS:
        actual = found.values[kind]
        goal = goals.get(kind)
        table.append(
            {
                "kind": kind,
                "label": _(BY_NAME[kind].zh),
                "actual": _value(kind, actual, found.qualifiers),
                "target": _value(kind, goal) if goal is not None else "—",
                "completion": f"{actual / goal * 100:.1f}%" if goal else "—",
            }
        )
    can_write = user.is_superuser or (
        user.can_write and user.organization_id == office.organization_id
    )
    error = ""
    if request.method == "POST" and can_write:
        try:
            liaison.set_office_target(
                user,
                office,
                request.POST.get("period", ""),
                request.POST.get("kind", ""),
                request.POST.get("value", ""),
            )
        except Invalid as exc:
            error = exc.message
        else:
            return redirect(
                f"{reverse('kpi:office', args=[office.pk])}?period={request.POST.get('period')}"
            )
    return render(
        request,
        "kpi/office.html",
        {
            "office": office,
            "period": period,
            "found": found,
            "table": table,
            "staff": list(office.staff.order_by("username")),
            "leads": list(liaison.lead_projects(user, office)[:200]),
            "can_write": can_write,
            "kinds": [(k, _(BY_NAME[k].zh)) for k in liaison.RESULT_KINDS],
            "error": error,
        },
    )


@login_required
def office_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = authenticated(request)
    office = liaison.get_office(user, pk) if pk else None
    org_id = office.organization_id if office else user.organization_id
    initial: dict[str, Any] = {}
    if office is not None:
        initial = {
            "kind": office.kind,
            "name": office.name,
            "region": office.region,
            "park": office.park,
            "staff": list(office.staff.all()),
            "staff_names": office.staff_names,
            "since": office.since,
            "active": office.active,
            "note": office.note,
        }
    form = OfficeForm(request.POST or None, initial=initial, org_id=org_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = liaison.save_office(
                user,
                office,
                kind=data["kind"],
                name=data["name"],
                region=data["region"],
                park=data["park"],
                staff=data["staff"],
                staff_names=data["staff_names"],
                since=data["since"],
                active=data["active"],
                note=data["note"],
                source_quote=office.source_quote if office else "",
                illustrative=office.illustrative if office else False,
            )
        except Invalid as exc:
            show_service_error(form, exc)
        else:
            return redirect("kpi:office", pk=saved.pk)
    return render(request, "kpi/office_form.html", {"form": form, "office": office})


# ------------------------------------------------------------------ the project page's panel


def project_panel(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """The office a project came from, and (for its officers) a choice of offices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    lead = OfficeLead.objects.filter(project=project).select_related("office").first()
    can_write = user.is_superuser or (user.can_write and user.organization_id == project.owner_id)
    choices = liaison.offices_for_project(user, project) if can_write else []
    if lead is None and not choices:
        return None
    return {"lead": lead, "choices": choices, "can_write": can_write, "project": project}


@login_required
@require_POST
def link_project(request: HttpRequest, project: int) -> HttpResponse:
    user = authenticated(request)
    found = visible_projects(user).select_related("owner__region").filter(pk=project).first()
    if found is None:
        raise NotFound(_("项目不存在或无权查看。"))
    office: LiaisonOffice | None = None
    chosen = request.POST.get("office", "")
    if chosen:
        office = LiaisonOffice.objects.filter(pk=chosen if chosen.isdigit() else 0).first()
        if office is None:
            raise NotFound(_("驻点招商机构不存在。"))
    try:
        liaison.link_project(user, found, office)
    except Invalid as exc:
        return render(request, "kpi/bad_request.html", {"message": exc.message}, status=400)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("projects:detail", args=[found.pk])
    return redirect(back)


@login_required
@require_POST
def link_by_name(request: HttpRequest, pk: int) -> HttpResponse:
    """From the office's page: link a project (named exactly, or by id) to this office."""
    user = authenticated(request)
    office = liaison.get_office(user, pk)
    text = request.POST.get("project", "").strip()
    qs = visible_projects(user).select_related("owner__region")
    found: Project | None = (
        qs.filter(pk=int(text)).first() if text.isdigit() else qs.filter(name=text).first()
    )
    if found is None:
        return render(
            request,
            "kpi/bad_request.html",
            {
                "message": _("找不到项目“%(name)s”(请填写项目全称或编号)") % {"name": text},
                "back": reverse("kpi:office", args=[office.pk]),
            },
            status=400,
        )
    try:
        liaison.link_project(user, found, office)
    except Invalid as exc:
        return render(request, "kpi/bad_request.html", {"message": exc.message}, status=400)
    return redirect("kpi:office", pk=office.pk)
