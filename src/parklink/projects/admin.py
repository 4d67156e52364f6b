"""Admin pages of the project library, scoped like the API and the pages."""

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from parklink.accounts.models import Organization, User
from parklink.core.admin import OwnedAdmin
from parklink.projects.models import (
    AgeingPolicy,
    Approval,
    FundsInPlace,
    Milestone,
    Problem,
    ProgressEntry,
    Project,
    ProjectTag,
    ProjectYearPlan,
    StageTransition,
)
from parklink.projects.queries import visibility_q


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0


class FundsInline(admin.TabularInline):
    model = FundsInPlace
    extra = 0


class TransitionInline(admin.TabularInline):
    model = StageTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "effective_on", "actor", "note", "recorded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(OwnedAdmin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "stage",
        "owner",
        "park",
        "region",
        "total_investment",
        "signed_on",
        "last_progress_on",
    )
    list_filter = ("stage", "maturity", "capital_origin", "tags")
    search_fields = ("name", "code_name", "sector")
    autocomplete_fields = ("park", "region", "investor", "owner", "leader_user")
    # The stage moves only through the transition service, which keeps the history.
    readonly_fields = ("stage", "stage_since", "stalled_from", "signed_on", "last_progress_on")
    inlines = (TransitionInline, MilestoneInline, ApprovalInline, FundsInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).filter(visibility_q(request.user))  # type: ignore[arg-type]

    def _ensure_visible(self, request: HttpRequest, object_id: str) -> None:
        """404 unless the user may see the project (simple_history would read any version)."""
        if request.user.is_superuser:
            return  # installation administrators also read the history of deleted projects
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):  # not a project id at all
            visible = False
        if not visible:
            raise Http404

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._ensure_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._ensure_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            from django.utils import timezone

            obj.stage_since = obj.stage_since or timezone.localdate()
            obj.last_progress_on = obj.stage_since
        super().save_model(request, obj, form, change)
        if not change:  # the timeline starts where services.create_project starts it
            StageTransition.objects.create(
                project=obj,
                from_stage="",
                to_stage=obj.stage,
                effective_on=obj.stage_since,
                actor=cast(User, request.user),
                note="入库",
            )


class ProjectChildAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(project__owner_id=getattr(request.user, "organization_id", None))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The project picker offers only projects the user may change: listing every project
        # would show other organisations' confidential names and let rows be added to them.
        if db_field.name == "project" and not request.user.is_superuser:
            org_id = getattr(request.user, "organization_id", None)
            kwargs["queryset"] = Project.objects.filter(owner_id=org_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Stage history has no admin page of its own: it is written by services.transition alone
# and shown read-only inside each project (TransitionInline).
for model in (Milestone, Approval, FundsInPlace, ProgressEntry, ProjectYearPlan):
    admin.site.register(model, ProjectChildAdmin)


@admin.register(Problem)
class ProblemAdmin(ProjectChildAdmin):
    """A problem's status moves only through services.change_status (which records it)."""

    list_display = ("project", "category", "status", "deadline", "owner")
    list_filter = ("status", "category")
    readonly_fields = ("status", "solved_on", "resolution")


@admin.register(ProjectTag)
class ProjectTagAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")


@admin.register(AgeingPolicy)
class AgeingPolicyAdmin(admin.ModelAdmin):
    """Officers set their own organisation's thresholds; installation administrators any."""

    list_display = (
        "organization",
        "yellow_months",
        "red_months",
        "removal_months",
        "unstarted_months",
        "production_rule",
        "funds_percent",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgeingPolicy]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organization_id=getattr(request.user, "organization_id", None))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization" and not request.user.is_superuser:
            org_id = getattr(request.user, "organization_id", None)
            kwargs["queryset"] = Organization.objects.filter(pk=org_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
