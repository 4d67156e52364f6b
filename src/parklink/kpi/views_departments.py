"""Department pages (部门): the list, one department's members, projects, targets and figures.

Read by the department's organisation and those above it; changed only by its own
organisation's officers and administrators (anyone else: a 404 for an organisation outside,
a refusal for a reader).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.errors import Forbidden, Invalid
from parklink.core.views import authenticated
from parklink.kpi import shown
from parklink.kpi.engine import periods
from parklink.kpi.engine.names import BY_NAME, FIGURES, TARGET_KINDS
from parklink.kpi.queries import visible_departments
from parklink.kpi.services import actuals, departments, subjects
from parklink.kpi.services.targets import parse_period
from parklink.projects.queries import today, visible_projects


def _period(request: HttpRequest) -> periods.Period:
    return parse_period(request.GET.get("period") or str(today().year))


def _message(exc: Invalid) -> str:
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    return str(next(iter(detail.values()), exc.message)) if detail else exc.message


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    rows = list(
        visible_departments(user)
        .select_related("organization")
        .order_by("organization__name", "name")[:500]
    )
    error = ""
    may_add = departments.can_change(user, None, user.organization_id)
    if request.method == "POST":
        if not may_add:
            raise Forbidden(_("只有本机构的经办人或管理员可以管理部门。"))
        try:
            made = departments.save_department(
                user, None, name=request.POST.get("name", ""), note=request.POST.get("note", "")
            )
        except Invalid as exc:
            error = _message(exc)
        else:
            return redirect("kpi:department", pk=made.pk)
    return render(
        request,
        "kpi/departments.html",
        {"rows": rows, "can_write": may_add, "error": error},
        status=400 if error else 200,
    )


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    department = departments.get_department(user, pk)
    try:
        period = _period(request)
    except Invalid as exc:
        return render(request, "kpi/bad_request.html", {"message": exc.message}, status=400)
    can_write = departments.can_change(user, department)
    error = ""
    if request.method == "POST":
        if not can_write:
            raise Forbidden(_("只有本机构的经办人或管理员可以管理部门。"))
        action = request.POST.get("action", "")
        try:
            if action == "members":
                chosen = User.objects.filter(
                    pk__in=[v for v in request.POST.getlist("members") if v.isdigit()],
                    organization_id=department.organization_id,
                )
                departments.set_members(user, department, chosen)
            elif action in ("link", "unlink"):
                text = request.POST.get("project", "").strip()
                seen = visible_projects(user)
                project = (
                    seen.filter(pk=int(text)).first()
                    if text.isdigit()
                    else seen.filter(name=text).first()
                )
                if project is None:
                    raise Invalid.on(
                        "project",
                        _("找不到项目“%(name)s”(请填写项目全称或编号)") % {"name": text},
                    )
                departments.link_project(user, department, project, remove=action == "unlink")
            elif action == "target":
                departments.set_department_target(
                    user,
                    department,
                    request.POST.get("period", ""),
                    request.POST.get("kind", ""),
                    request.POST.get("value", ""),
                )
            elif action == "rename":
                departments.save_department(
                    user,
                    department,
                    name=request.POST.get("name", ""),
                    note=request.POST.get("note", ""),
                )
            else:
                raise Invalid(_("未知的操作"))
        except Invalid as exc:
            error = _message(exc)
        else:
            back = reverse("kpi:department", args=[department.pk])
            return redirect(f"{back}?period={request.POST.get('period') or period.label}")
    subject = subjects.Subject(
        "department", department.pk, department.organization, department.name
    )
    group = subjects.grouping([subject])
    found = actuals.figures(user, group, period)[department.pk]
    words = actuals.qualifiers(user, group, period).get(department.pk, {})
    goals = subjects.targets([subject], period)[department.pk]
    table: list[dict[str, Any]] = []
    for f in FIGURES:
        goal = goals.get(f.name)
        actual = found[f.name]
        if not actual and goal is None and f.name not in ("signed_count", "signed_amount"):
            continue
        table.append(
            {
                "name": f.name,
                "label": _(f.zh),
                "actual": shown.figure(f.name, actual, words),
                "target": shown.figure(f.name, goal) if goal is not None else "—",
                "completion": f"{actual / goal * 100:.1f}%" if goal else "—",
            }
        )
    member_list = departments.members(department)
    org_users = (
        list(
            User.objects.filter(
                organization_id=department.organization_id, is_active=True
            ).order_by("username")
        )
        if can_write
        else []
    )
    member_ids = {m.pk for m in member_list}
    project_rows = list(departments.projects(user, department).order_by("-signed_on", "-pk")[:200])
    linked = set(department.project_links.values_list("project_id", flat=True))
    return render(
        request,
        "kpi/department.html",
        {
            "department": department,
            "period": period,
            "table": table,
            "members": member_list,
            "org_users": [(u, u.pk in member_ids) for u in org_users],
            "projects": [(p, p.pk in linked) for p in project_rows],
            "can_write": can_write,
            "kinds": [(k, _(BY_NAME[k].zh)) for k in TARGET_KINDS],
            "error": error,
            "zero": Decimal(0),
        },
        status=400 if error else 200,
    )
