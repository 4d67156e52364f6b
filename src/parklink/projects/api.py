"""Project library API; every read and write goes through the user's visible projects."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from parklink.accounts.apitools import current_user, owner_id_for
from parklink.accounts.models import User
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park
from parklink.projects import services
from parklink.projects.api_outputs import router as outputs_router
from parklink.projects.daily_schemas import (
    ProblemIn,
    ProblemOut,
    ProblemPage,
    ProblemPatch,
    ProblemQuery,
    ProblemStatusIn,
    ProgressIn,
    ProgressOut,
    ProgressPatch,
    StandingOut,
    YearPlanIn,
    YearPlanOut,
)
from parklink.projects.models import Milestone, Problem, ProgressEntry, Project, StageTransition
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    cache_seconds,
    get_visible,
    shared_key,
    visible_projects,
    with_relations,
)
from parklink.projects.schemas import (
    COLOUR_ATTR,
    PROJECT_AMOUNTS,
    ApprovalIn,
    ApprovalOut,
    CompleteIn,
    FundsIn,
    FundsOut,
    MilestoneIn,
    MilestoneOut,
    ProjectDetailOut,
    ProjectIn,
    ProjectPage,
    ProjectPatch,
    ProjectQuery,
    TransitionIn,
    without_wan,
)
from parklink.projects.services.problems import ProblemFilters, filter_problems, visible_problems
from parklink.regions.services import require_region

router = Router(tags=["projects"])
# The ledger file, a project's brief and the map's points (projects/api_outputs.py).
router.add_router("", outputs_router)


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    """Payload → service keyword arguments (ids → records, place text → Region)."""
    for name in services.TEXT_FIELDS:  # a PATCH clears them with null; they are stored as ""
        if name in data and data[name] is None:
            data[name] = ""
    if "region" in data:
        data["region"] = require_region(data["region"]) if data["region"] else None
    if data.get("park") is not None:
        park = Park.objects.filter(pk=data["park"]).first()
        if park is None:
            raise Invalid.on("park", _("园区不存在: %(id)s") % {"id": data["park"]})
        data["park"] = park
    if data.get("investor") is not None:
        investor = Enterprise.objects.filter(pk=data["investor"]).first()
        if investor is None:
            raise Invalid.on("investor", _("企业不存在: %(id)s") % {"id": data["investor"]})
        data["investor"] = investor
    if data.get("leader_user") is not None:
        leader = User.objects.filter(pk=data["leader_user"], is_active=True).first()
        if leader is None:
            raise Invalid.on("leader_user", _("用户不存在: %(id)s") % {"id": data["leader_user"]})
        data["leader_user"] = leader
    return data


def _detailed(user: User, pk: int) -> Project:
    """A visible project with everything its detail shows, or 404 (hidden looks missing)."""
    qs = (
        with_relations(visible_projects(user))
        .select_related("leader_user")
        .prefetch_related(
            "milestones",
            "approvals",
            "funds",
            Prefetch("transitions", queryset=StageTransition.objects.select_related("actor")),
        )
    )
    project = qs.filter(pk=pk).first()
    if project is None:
        raise NotFound(_("项目不存在或无权查看。"))
    return project


def _attach_colours(projects: list[Project]) -> None:
    """Set each row's ageing colour (services.colours_of: one query for the whole page)."""
    colours = services.colours_of(projects)
    for project in projects:
        project.__dict__[COLOUR_ATTR] = colours[project.pk]


@router.get("/", response=ProjectPage, summary="List visible projects")
def list_projects(request: HttpRequest, filters: Query[ProjectQuery]) -> ProjectPage:
    user = current_user(request)
    # Everyone who sees the same projects gets the same page for the same query: it is kept,
    # validated, until the library changes (as the list page's results are).
    key = shared_key("api-page", user, request.GET.urlencode())
    found = cache.get(key)
    if isinstance(found, ProjectPage):
        return found
    wanted = filters.model_dump(exclude={"limit", "offset"})
    wanted["stage"] = [str(stage) for stage in wanted["stage"]]
    qs: QuerySet[Project] = apply_filters(visible_projects(user), ProjectFilters(**wanted))
    total = qs.count()
    rows = list(with_relations(qs)[filters.offset : filters.offset + filters.limit])
    _attach_colours(rows)
    page = ProjectPage.model_validate(
        {"count": total, "limit": filters.limit, "offset": filters.offset, "items": rows}
    )
    cache.set(key, page, cache_seconds())
    return page


@router.get("/{project_id}", response=ProjectDetailOut, summary="One project in full")
def read_project(request: HttpRequest, project_id: int) -> Project:
    return _detailed(current_user(request), project_id)


@router.post("/", response={201: ProjectDetailOut}, summary="Create a project")
def create_project(request: HttpRequest, payload: ProjectIn) -> Status:
    user = current_user(request)
    data = payload.model_dump(exclude_none=True, exclude=without_wan(PROJECT_AMOUNTS))
    owner_id = owner_id_for(user, data.pop("owner", None))
    project = services.create_project(user, owner_id=owner_id, **_changes(data))
    return Status(201, _detailed(user, project.pk))


@router.patch("/{project_id}", response=ProjectDetailOut, summary="Change a project")
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:
    user = current_user(request)
    project = get_visible(user, project_id)
    changes = payload.model_dump(exclude_unset=True, exclude=without_wan(PROJECT_AMOUNTS))
    services.update_project(user, project, **_changes(changes))
    return _detailed(user, project_id)


@router.post(
    "/{project_id}/transition", response=ProjectDetailOut, summary="Move a project to another stage"
)
def transition(request: HttpRequest, project_id: int, payload: TransitionIn) -> Project:
    user = current_user(request)
    project = get_visible(user, project_id)
    services.transition(user, project, payload.to, on=payload.date, note=payload.note)
    return _detailed(user, project_id)


@router.post("/{project_id}/milestones", response={201: MilestoneOut}, summary="Add a milestone")
def add_milestone(request: HttpRequest, project_id: int, payload: MilestoneIn) -> Status:
    user = current_user(request)
    project = get_visible(user, project_id)
    return Status(201, services.add_milestone(user, project, **payload.model_dump()))


@router.post(
    "/{project_id}/milestones/{milestone_id}/complete",
    response=MilestoneOut,
    summary="Mark a milestone done",
)
def complete_milestone(
    request: HttpRequest, project_id: int, milestone_id: int, payload: CompleteIn | None = None
) -> Milestone:
    user = current_user(request)
    project = get_visible(user, project_id)
    milestone = Milestone.objects.filter(project=project, pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("里程碑不存在。"), detail={"id": milestone_id})
    milestone.project = project
    return services.complete_milestone(user, milestone, on=payload.date if payload else None)


@router.post(
    "/{project_id}/approvals",
    response=ApprovalOut,
    summary="Set the status of an approval (环评, 安评, 能评, 消防…)",
)
def set_approval(request: HttpRequest, project_id: int, payload: ApprovalIn) -> Any:
    user = current_user(request)
    project = get_visible(user, project_id)
    return services.set_approval(user, project, **payload.model_dump())


@router.post("/{project_id}/funds", response={201: FundsOut}, summary="Record funds in place")
def add_funds(request: HttpRequest, project_id: int, payload: FundsIn) -> Status:
    user = current_user(request)
    project = get_visible(user, project_id)
    return Status(
        201, services.add_funds(user, project, **payload.model_dump(exclude={"amount_wan"}))
    )


# ---------------------------------------------------------------- daily work


def _entry(project: Project, entry_id: int) -> ProgressEntry:
    entry = ProgressEntry.objects.filter(project=project, pk=entry_id).first()
    if entry is None:
        raise NotFound(_("进展记录不存在。"), detail={"id": entry_id})
    entry.project = project
    return entry


def _problem(user: User, problem_id: int) -> Problem:
    problem = (
        visible_problems(user)
        .select_related("project", "owner", "leader")
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFound(_("问题不存在或无权查看。"), detail={"id": problem_id})
    return problem


def _people(data: dict[str, Any]) -> dict[str, Any]:
    """User ids → users (owner, leader) for the problem services."""
    for name in ("owner", "leader"):
        if data.get(name) is not None:
            person = User.objects.filter(pk=data[name]).first()
            if person is None:
                raise Invalid.on(name, _("用户不存在: %(id)s") % {"id": data[name]})
            data[name] = person
    for name in ("department", "leader_name"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


@router.get(
    "/{project_id}/progress", response=list[ProgressOut], summary="A project's progress log"
)
def list_progress(request: HttpRequest, project_id: int) -> Any:
    project = get_visible(current_user(request), project_id)
    return project.progress_entries.select_related("author")


@router.post("/{project_id}/progress", response={201: ProgressOut}, summary="Log progress")
def add_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> Status:
    user = current_user(request)
    project = get_visible(user, project_id)
    return Status(201, services.add_entry(user, project, **payload.model_dump()))


@router.patch(
    "/{project_id}/progress/{entry_id}", response=ProgressOut, summary="Change a progress entry"
)
def change_progress(
    request: HttpRequest, project_id: int, entry_id: int, payload: ProgressPatch
) -> Any:
    user = current_user(request)
    entry = _entry(get_visible(user, project_id), entry_id)
    changes = payload.model_dump(exclude_unset=True)
    for name in ("next_step", "reporter"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    return services.update_entry(user, entry, **changes)


@router.delete(
    "/{project_id}/progress/{entry_id}", response={204: None}, summary="Delete a progress entry"
)
def remove_progress(request: HttpRequest, project_id: int, entry_id: int) -> Status:
    user = current_user(request)
    services.delete_entry(user, _entry(get_visible(user, project_id), entry_id))
    return Status(204, None)


# Two segments: a one-segment path would be taken by "/{project_id}" above.
@router.get("/problems/all", response=ProblemPage, summary="Problems across the visible projects")
def list_problems(request: HttpRequest, filters: Query[ProblemQuery]) -> dict[str, Any]:
    user = current_user(request)
    wanted = ProblemFilters(
        status=[str(s) for s in filters.status] or None,
        overdue=filters.overdue,
        category=str(filters.category) if filters.category else None,
        owner=filters.owner,
        mine=filters.mine,
        project=filters.project,
        q=filters.q,
    )
    qs = filter_problems(user, wanted).prefetch_related("events__actor")
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "limit": filters.limit, "offset": filters.offset, "items": rows}


@router.get("/problems/{problem_id}", response=ProblemOut, summary="One problem")
def read_problem(request: HttpRequest, problem_id: int) -> Problem:
    return _problem(current_user(request), problem_id)


@router.get("/{project_id}/problems", response=list[ProblemOut], summary="A project's problems")
def project_problems(request: HttpRequest, project_id: int) -> Any:
    project = get_visible(current_user(request), project_id)
    return project.problems.select_related("project", "owner", "leader").prefetch_related(
        "events__actor"
    )


@router.post("/{project_id}/problems", response={201: ProblemOut}, summary="Raise a problem")
def raise_problem(request: HttpRequest, project_id: int, payload: ProblemIn) -> Status:
    user = current_user(request)
    project = get_visible(user, project_id)
    problem = services.raise_problem(user, project, **_people(payload.model_dump()))
    return Status(201, _problem(user, problem.pk))


@router.patch("/problems/{problem_id}", response=ProblemOut, summary="Change a problem")
def change_problem(request: HttpRequest, problem_id: int, payload: ProblemPatch) -> Problem:
    user = current_user(request)
    problem = _problem(user, problem_id)
    services.update_problem(user, problem, **_people(payload.model_dump(exclude_unset=True)))
    return _problem(user, problem_id)


@router.post(
    "/problems/{problem_id}/status",
    response=ProblemOut,
    summary="Move a problem on (open → coordinating → solved / escalated)",
)
def problem_status(request: HttpRequest, problem_id: int, payload: ProblemStatusIn) -> Problem:
    user = current_user(request)
    problem = _problem(user, problem_id)
    services.change_status(user, problem, str(payload.to), payload.note, on=payload.date)
    return _problem(user, problem_id)


@router.get(
    "/{project_id}/year-plans", response=list[YearPlanOut], summary="Annual investment plans"
)
def list_year_plans(request: HttpRequest, project_id: int) -> Any:
    return get_visible(current_user(request), project_id).year_plans.all()


@router.put(
    "/{project_id}/year-plans/{year}",
    response={200: YearPlanOut, 204: None},
    summary="Set a year's plan (both figures null: remove it)",
)
def put_year_plan(request: HttpRequest, project_id: int, year: int, payload: YearPlanIn) -> Any:
    user = current_user(request)
    project = get_visible(user, project_id)
    row = services.set_year_plan(user, project, year, payload.planned, payload.completed)
    return Status(204, None) if row is None else row


@router.get(
    "/{project_id}/standing",
    response=StandingOut,
    summary="Ageing colour and contract-date warnings, with their reasons",
)
def read_standing(request: HttpRequest, project_id: int) -> dict[str, Any]:
    standing = services.standing_of(get_visible(current_user(request), project_id))
    return {
        "colour": standing.colour_value,
        "reasons": list(standing.reasons),
        "warnings": [
            {"rule": rule, "label": label, "reason": reason}
            for rule, label, reason in standing.warning_items
        ],
    }
