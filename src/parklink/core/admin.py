"""Admin base classes that apply the same scoping rules as the API and the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from parklink.core.models import SourceCitation


class OwnedAdmin(admin.ModelAdmin):
    """Staff who are not installation administrators change only their organisation's rows."""

    def _org_id(self, request: HttpRequest) -> int | None:
        return getattr(request.user, "organization_id", None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return getattr(obj, "owner_id", None) == self._org_id(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return getattr(obj, "owner_id", None) == self._org_id(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only installation administrators choose or change who owns a record.
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser or "owner" in fields:
            return fields
        return (*fields, "owner")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and not request.user.is_superuser:
            obj.owner_id = self._org_id(request)
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request)


@admin.register(SourceCitation)
class SourceCitationAdmin(admin.ModelAdmin):
    list_display = ("document", "quote", "content_type", "object_id")
    search_fields = ("document", "quote")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """The sources of a project the user may not see are as missing as the project."""
        from django.contrib.contenttypes.models import ContentType

        from parklink.projects.models import Project
        from parklink.projects.queries import visible_projects

        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        project_type = ContentType.objects.get_for_model(Project)
        visible = visible_projects(request.user).values("pk")  # type: ignore[arg-type]
        return qs.filter(~Q(content_type=project_type) | Q(object_id__in=visible))
