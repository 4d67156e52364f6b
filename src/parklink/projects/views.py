"""Project pages: the filtered list and its export, a project's page with htmx actions, forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from parklink.accounts.models import User
from parklink.accounts.services import can_manage_members, ensure_can_write
from parklink.core.errors import ConfirmationRequired, Forbidden, Invalid, ParkLinkError
from parklink.core.forms import refusals_on, show_service_error
from parklink.core.sources import sources_of
from parklink.core.views import INVALID, authenticated, is_fragment, permitted
from parklink.projects import services
from parklink.projects.ageing import Colour
from parklink.projects.daily_pages import daily_context
from parklink.projects.forms import (
    DEFAULT_SORT,
    ApprovalForm,
    FundsForm,
    MilestoneForm,
    ProjectCreateForm,
    ProjectFilterForm,
    ProjectForm,
    TransitionForm,
)
from parklink.projects.funds_chart import FundsPoint, funds_options, funds_ratio, funds_unit
from parklink.projects.lifecycle import PIPELINE, Stage
from parklink.projects.list_rows import row_html
from parklink.projects.models import Milestone, Project, ProjectStage
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    cache_seconds,
    shared_key,
    today,
    visible_projects,
    visible_sectors,
    with_relations,
)

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project_or_404(user: User, pk: int) -> Project:
    """The project with its relations, or 404 when it is missing or hidden from `user`."""
    project = (
        with_relations(visible_projects(user))
        .select_related("leader_user", "owner__region")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404(_("项目不存在或无权查看。"))
    return project


def _value(colour: Colour | None) -> str | None:
    return colour.value if colour is not None else None


# ---------------------------------------------------------------- list and export


@dataclass(frozen=True)
class Row:
    project: Project
    colour: str | None
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # rule, label, reason

    @property
    def html(self) -> SafeString:
        """The list's `<tr>` for this project (built in Python: `projects.list_rows`)."""
        return row_html(self.project, self.colour, self.warnings)


def _filter_form(request: HttpRequest, user: User) -> ProjectFilterForm:
    return ProjectFilterForm(request.GET or None, sectors=visible_sectors(user))


def _filtered(user: User, form: ProjectFilterForm) -> tuple[ProjectFilters, Any]:
    filters = form.filters()
    try:
        return filters, apply_filters(visible_projects(user), filters)
    except Invalid as exc:
        show_service_error(form, exc)
        filters = ProjectFilters(sort=DEFAULT_SORT)
        return filters, apply_filters(visible_projects(user), filters)


def _results(request: HttpRequest, user: User, form: ProjectFilterForm) -> SafeString:
    """The results part of the list (count, rows, pages) as HTML.

    Everyone who sees the same projects gets the same results for the same query string, so
    they are rendered once and kept in the cache under the library's version (any write to a
    project or to what its row shows moves it on: `dashboard.connect_invalidation`), for at
    most `cache_seconds()`. The key is read before the rows, so results rendered while a
    write commits are kept under the version before it, which that write has left.
    """
    key = shared_key("results", user, request.GET.urlencode())
    found = cache.get(key)
    if isinstance(found, str):
        return mark_safe(found)  # rendered below, escaped by the template and the rows
    filters, qs = _filtered(user, form)
    page = Paginator(with_relations(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    standings = services.standings_of(page.object_list)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "rows": [
            Row(p, standings[p.pk].colour_value, standings[p.pk].warning_items)
            for p in page.object_list
        ],
        "sort": filters.sort,
        "export_query": request.GET.urlencode(),
    }
    html = render_to_string("projects/_results.html", context, request=request)
    cache.set(key, html, cache_seconds())
    return mark_safe(html)  # the template's output


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """The project library: filters, sortable columns, 25 a page; htmx swaps only the results."""
    user = authenticated(request)
    form = _filter_form(request, user)
    results = _results(request, user, form)
    if is_fragment(request):
        return HttpResponse(results)
    context = {
        "form": form,
        "results": results,
        "can_create": user.can_write and user.organization_id is not None,
        "can_set_rules": user.organization is not None and can_manage_members(user),
    }
    return render(request, "projects/list.html", context)


@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel workbook (the same projects the list shows)."""
    from parklink.projects.exports import export_projects

    user = authenticated(request)
    form = _filter_form(request, user)
    filters, _qs = _filtered(user, form)
    content = export_projects(user, filters)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"项目清单-{today():%Y%m%d}.xlsx"
    )
    return response


# ---------------------------------------------------------------- detail


def _steps(project: Project) -> list[tuple[str, str]]:
    """(label, state) along the main line; state is done, current or todo."""
    stage = Stage(project.stage)
    reached = Stage(project.stalled_from) if project.stalled_from else stage
    position = PIPELINE.index(reached) if reached in PIPELINE else -1
    steps = []
    for index, step in enumerate(PIPELINE):
        if index < position or (index == position and stage is not reached):
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "todo"
        steps.append((str(ProjectStage(step.value).label), state))
    return steps


def _detail_context(request: HttpRequest, project: Project, **forms: Any) -> dict[str, Any]:
    user = authenticated(request)
    on = today()
    can_write = permitted(ensure_can_write, user, project.owner_id)
    # Prefetched: the attachments panel lists the same entries (projects.attachables).
    prefetch_related_objects([project], "funds")
    funds = list(project.funds.all())
    received = sum((entry.amount for entry in funds), Decimal(0))
    points = [FundsPoint(entry.received_on, entry.amount) for entry in funds]
    milestones = list(project.milestones.all())
    transitions = list(project.transitions.select_related("actor").order_by("-effective_on", "-id"))
    read = {"transitions": transitions, "milestones": milestones, "funds_total": received}
    return {
        "project": project,
        "colour": _value(services.colour_of(project, on)),
        "steps": _steps(project),
        "can_write": can_write,
        "next_stages": services.allowed_next(project) if can_write else [],
        "transitions": transitions,
        "milestones": [(m, m.done_on is None and m.due_on < on) for m in milestones],
        "overdue_count": sum(1 for m in milestones if m.done_on is None and m.due_on < on),
        "approvals": list(project.approvals.all()),
        "funds": funds,
        "received": received,
        "funds_ratio": funds_ratio(project.total_investment, received),
        "funds_unit": funds_unit(project.total_investment, received),
        "funds_chart": funds_options(points, project.total_investment) if points else None,
        "sources": sources_of(project),
        "tags": list(project.tags.all()),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "approval_form": forms.get("approval_form") or ApprovalForm(),
        "funds_form": forms.get("funds_form") or FundsForm(),
        "transition_form": forms.get("transition_form"),
        "today": on,
        **daily_context(project, can_write, on, forms, read=read),
    }


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(authenticated(request), pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


@login_required
def transition_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation form for moving to `?to=` (an htmx fragment under the stage buttons)."""
    user = authenticated(request)
    project = _project_or_404(user, pk)
    ensure_can_write(user, project.owner_id)
    form = TransitionForm(initial={"to": request.GET.get("to", "")})
    return render(
        request,
        "projects/_transition_form.html",
        {"project": project, "form": form, "target": request.GET.get("to", "")},
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Perform a stage change through projects.services.transition; refusals show its reason."""
    user = authenticated(request)
    project = _project_or_404(user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        with refusals_on(form) as outcome:
            services.transition(
                user,
                project,
                form.cleaned_data["to"],
                on=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
            )
        if outcome.ok:
            project = _project_or_404(user, pk)
            if not is_fragment(request):
                messages.success(request, _("阶段已更新。"))
                return redirect("projects:detail", pk=pk)
            return render(
                request, "projects/_transition_done.html", _detail_context(request, project)
            )
    if is_fragment(request):
        response = render(
            request,
            "projects/_transition_form.html",
            {"project": project, "form": form, "target": request.POST.get("to", "")},
            status=INVALID,
        )
        return reswap(retarget(response, "#transition-dialog"), "innerHTML")
    return render(
        request,
        "projects/detail.html",
        _detail_context(request, project, transition_form=form),
        status=INVALID,
    )


def _section(
    request: HttpRequest, pk: int, section: str, form_name: str, form: Form, ok: bool
) -> HttpResponse:
    """After a small write: the refreshed section (htmx) or the whole page (plain POST)."""
    user = authenticated(request)
    project = _project_or_404(user, pk)
    if not is_fragment(request):
        if ok:
            return redirect(reverse("projects:detail", args=[pk]) + f"#{section}")
        return render(
            request,
            "projects/detail.html",
            _detail_context(request, project, **{form_name: form}),
            status=INVALID,
        )
    context = _detail_context(request, project, **({} if ok else {form_name: form}))
    context["section"] = section
    return render(request, "projects/_section.html", context, status=200 if ok else INVALID)


def _write(
    request: HttpRequest, form: Form, action: Any, field_map: dict[str, str] | None = None
) -> bool:
    """Run `action()` when the form is valid; map a service's refusal onto the form."""
    if not form.is_valid():
        return False
    with refusals_on(form, field_map) as outcome:
        action()
    return outcome.ok


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    project = _project_or_404(user, pk)
    form = MilestoneForm(request.POST)
    ok = _write(
        request,
        form,
        lambda: services.add_milestone(
            user,
            project,
            form.cleaned_data["name"],
            form.cleaned_data["due_on"],
            form.cleaned_data["note"],
        ),
    )
    return _section(request, pk, "milestones", "milestone_form", form, ok)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    user = authenticated(request)
    project = _project_or_404(user, pk)
    milestone = Milestone.objects.filter(project=project, pk=milestone_pk).first()
    if milestone is None:
        raise Http404(_("节点不存在。"))
    ensure_can_write(user, project.owner_id)
    form = MilestoneForm()
    try:
        services.complete_milestone(user, milestone)
        ok = True
    except ParkLinkError as exc:
        messages.error(request, exc.message)
        ok = False
    return _section(request, pk, "milestones", "milestone_form", form, ok)


@login_required
@require_POST
def approval_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    project = _project_or_404(user, pk)
    form = ApprovalForm(request.POST)

    def act() -> None:
        data = form.cleaned_data
        services.set_approval(
            user,
            project,
            data["kind"],
            data["status"],
            due_on=data["due_on"],
            submitted_on=data["submitted_on"],
            decided_on=data["decided_on"],
            reference=data["reference"],
        )

    ok = _write(request, form, act)
    return _section(request, pk, "approvals", "approval_form", form, ok)


@login_required
@require_POST
def funds_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    project = _project_or_404(user, pk)
    form = FundsForm(request.POST)

    def act() -> None:
        try:
            services.add_funds(
                user,
                project,
                form.cleaned_data["received_on"],
                form.amount(),
                form.cleaned_data["evidence"],
                form.cleaned_data["note"],
                confirm=form.cleaned_data["confirm"],
            )
        except ConfirmationRequired:
            form.needs_confirm = True  # the form now shows the confirmation checkbox
            raise

    ok = _write(request, form, act, FundsForm.field_map)
    return _section(request, pk, "funds", "funds_form", form, ok)


# ---------------------------------------------------------------- create and edit


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    choose_owner = user.is_superuser and user.organization is None
    if user.organization is None and not choose_owner:
        raise Forbidden(_("账号未关联机构,不能新建项目。"))
    if not choose_owner:
        ensure_can_write(user, user.organization_id)
    form = ProjectCreateForm(
        request.POST or None, owner=user.organization, choose_owner=choose_owner
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form, ProjectForm.field_map) as outcome:
            project = services.create_project(user, **form.service_fields())
        if outcome.ok:
            messages.success(request, _("项目“%(name)s”已入库。") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    status = INVALID if request.method == "POST" else 200
    return render(request, "projects/form.html", {"form": form, "project": None}, status=status)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    project = _project_or_404(user, pk)
    ensure_can_write(user, project.owner_id)
    # The form edits its own copy, so the page header keeps the saved values on errors.
    form = ProjectForm(request.POST or None, instance=_project_or_404(user, pk))
    if request.method == "POST" and form.is_valid():
        with refusals_on(form, ProjectForm.field_map) as outcome:
            services.update_project(user, form.instance, **form.service_fields())
        if outcome.ok:
            messages.success(request, _("项目信息已保存。"))
            return redirect("projects:detail", pk=project.pk)
    status = INVALID if request.method == "POST" else 200
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)
