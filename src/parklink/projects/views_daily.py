"""Pages of the daily work: progress entries, problems and annual plans on a project's page
(htmx sections), the problem list across projects with its export, and the warning rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.accounts.services import can_manage_members, ensure_can_write
from parklink.core.errors import Forbidden, Invalid
from parklink.core.forms import refusals_on, show_service_error
from parklink.core.views import INVALID, authenticated, is_fragment
from parklink.projects import services
from parklink.projects.daily_forms import (
    ProblemFilterForm,
    ProblemForm,
    ProblemStatusForm,
    ProgressEntryForm,
    WarningRulesForm,
    YearPlanForm,
)
from parklink.projects.models import AgeingPolicy, Problem, ProgressEntry, Project
from parklink.projects.problem_lifecycle import is_overdue
from parklink.projects.queries import today
from parklink.projects.services.problems import ProblemFilters, filter_problems
from parklink.projects.views import XLSX, _detail_context, _project_or_404

PAGE_SIZE = 50


def _respond(
    request: HttpRequest, project: Project, section: str, ok: bool, **forms: Any
) -> HttpResponse:
    """After a write: the refreshed section (htmx) or the page (plain POST: a redirect when
    it worked, the page with the form's errors when it did not)."""
    user = authenticated(request)
    project = _project_or_404(user, project.pk)
    if not is_fragment(request):
        if ok:
            return redirect(reverse("projects:detail", args=[project.pk]) + f"#{section}")
        context = _detail_context(request, project, **forms)
        return render(request, "projects/detail.html", context, status=INVALID)
    context = _detail_context(request, project, **({} if ok else forms))
    context["section"] = section
    return render(request, "projects/_section.html", context, status=200 if ok else INVALID)


def _writable(request: HttpRequest, pk: int) -> tuple[User, Project]:
    user = authenticated(request)
    project = _project_or_404(user, pk)
    ensure_can_write(user, project.owner_id)
    return user, project


# ---------------------------------------------------------------- progress entries


def _entry(project: Project, entry_pk: int) -> ProgressEntry:
    entry = ProgressEntry.objects.filter(project=project, pk=entry_pk).first()
    if entry is None:
        raise Http404(_("进展记录不存在。"))
    entry.project = project
    return entry


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    form = ProgressEntryForm(request.POST)
    ok = False
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form) as outcome:
            services.add_entry(
                user,
                project,
                data["happened_on"],
                data["summary"],
                data["next_step"],
                data["reporter"],
            )
        ok = outcome.ok
    return _respond(request, project, "timeline", ok, entry_form=form)


@login_required
@require_POST
def progress_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    entry = _entry(project, entry_pk)
    form = ProgressEntryForm(request.POST, prefix=f"entry-{entry.pk}")
    ok = False
    if form.is_valid():
        with refusals_on(form) as outcome:
            services.update_entry(user, entry, **form.cleaned_data)
        ok = outcome.ok
    return _respond(request, project, "timeline", ok, edit=("entry", entry.pk, form))


@login_required
@require_POST
def progress_delete(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    services.delete_entry(user, _entry(project, entry_pk))
    return _respond(request, project, "timeline", True)


# ---------------------------------------------------------------- problems


def _problem(project: Project, problem_pk: int) -> Problem:
    problem = Problem.objects.filter(project=project, pk=problem_pk).first()
    if problem is None:
        raise Http404(_("问题不存在。"))
    problem.project = project
    return problem


@login_required
@require_POST
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    form = ProblemForm(request.POST, project=project)
    ok = False
    if form.is_valid():
        with refusals_on(form) as outcome:
            services.raise_problem(user, project, **form.service_fields())
        ok = outcome.ok
    return _respond(request, project, "problems", ok, problem_form=form)


@login_required
@require_POST
def problem_edit(request: HttpRequest, pk: int, problem_pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    problem = _problem(project, problem_pk)
    form = ProblemForm(
        request.POST, instance=problem, project=project, prefix=f"problem-{problem.pk}"
    )
    ok = False
    if form.is_valid():
        with refusals_on(form) as outcome:
            services.update_problem(user, _problem(project, problem_pk), **form.service_fields())
        ok = outcome.ok
    return _respond(request, project, "problems", ok, edit=("problem", problem.pk, form))


@login_required
@require_POST
def problem_status(request: HttpRequest, pk: int, problem_pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    problem = _problem(project, problem_pk)
    form = ProblemStatusForm(request.POST, problem=problem, prefix=f"status-{problem.pk}")
    ok = False
    if form.is_valid():
        with refusals_on(form) as outcome:
            services.change_status(
                user, problem, form.cleaned_data["to"], form.cleaned_data["note"]
            )
        ok = outcome.ok
    if ok and not is_fragment(request):
        messages.success(request, _("问题状态已更新。"))
    return _respond(request, project, "problems", ok, edit=("status", problem.pk, form))


# ---------------------------------------------------------------- annual plans


@login_required
@require_POST
def year_plan_set(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _writable(request, pk)
    form = YearPlanForm(request.POST)
    ok = False
    if form.is_valid():
        planned, completed = form.amounts()
        with refusals_on(form, YearPlanForm.field_map) as outcome:
            services.set_year_plan(user, project, form.cleaned_data["year"], planned, completed)
        ok = outcome.ok
    return _respond(request, project, "year-plans", ok, year_plan_form=form)


# ---------------------------------------------------------------- the problem list


def _problem_filters(request: HttpRequest, user: User) -> tuple[ProblemFilterForm, Any]:
    form = ProblemFilterForm(request.GET or None, user=user)
    filters = form.filters()
    try:
        return form, filter_problems(user, filters)
    except Invalid as exc:
        show_service_error(form, exc)
        return form, filter_problems(user, ProblemFilters())


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form, qs = _problem_filters(request, user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    on = today()
    rows = [(p, is_overdue(p.status, p.deadline, on)) for p in page.object_list]
    return render(
        request,
        "projects/problems.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": request.GET.copy(),
            "export_query": request.GET.urlencode(),
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        },
    )


@login_required
def problem_export(request: HttpRequest) -> HttpResponse:
    from parklink.projects.daily_exports import export_problems

    user = authenticated(request)
    _form, qs = _problem_filters(request, user)
    response = HttpResponse(export_problems(qs, today()), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"问题清单-{today():%Y%m%d}.xlsx"
    )
    return response


# ---------------------------------------------------------------- warning rules


@login_required
def warning_rules(request: HttpRequest) -> HttpResponse:
    """The organisation admin's ageing thresholds and contract-date rules."""
    user = authenticated(request)
    org = user.organization
    if org is None or not can_manage_members(user, org):
        raise Forbidden(_("只有机构管理员可以设置本机构的预警规则。"))
    policy = AgeingPolicy.objects.filter(organization=org).first() or AgeingPolicy(organization=org)
    form = WarningRulesForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("预警规则已保存。"))
        return redirect("projects:warning_rules")
    status = INVALID if request.method == "POST" else 200
    return render(request, "projects/warning_rules.html", {"form": form, "org": org}, status=status)
