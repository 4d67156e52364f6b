"""Admin base classes that apply the same scoping rules as the API and the pages."""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from parklink.core.models import SourceCitation
from parklink.core.registry import model_label, registry


class OwnedAdmin(admin.ModelAdmin):
    """Staff who are not installation administrators change only their organisation's rows.

    They also list only the rows they may see when the model's app registered a visibility
    scope for it (`core.registry.VisibilityScope`), as the pages and the API do.
    """

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
        qs = super().get_queryset(request)
        scope = registry.scopes.get(model_label(self.model))
        if scope is None or request.user.is_superuser:
            return qs
        return qs.filter(pk__in=scope.visible(request.user).values("pk"))


class OwnedChildAdmin(admin.ModelAdmin):
    """Rows that belong to an owned record (a park's industries, an enterprise's sites).

    Like OwnedAdmin: staff who are not installation administrators change and delete only
    rows under their organisation's records, and hang new rows only under those.
    """

    #: the foreign key to the owned record the row belongs to
    parent_field: ClassVar[str]

    def _is_own(self, request: HttpRequest, obj: Model) -> bool:
        parent = getattr(obj, self.parent_field)
        org_id = getattr(request.user, "organization_id", None)
        return org_id is not None and getattr(parent, "owner_id", None) == org_id

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return self._is_own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return self._is_own(request, obj)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == self.parent_field and not request.user.is_superuser:
            org_id = getattr(request.user, "organization_id", None)
            kwargs["queryset"] = db_field.related_model._default_manager.filter(owner_id=org_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SourceCitation)
class SourceCitationAdmin(admin.ModelAdmin):
    list_display = ("document", "quote", "content_type", "object_id")
    search_fields = ("document", "quote")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """The sources of a record the user may not see are as missing as the record.

        Every model with a registered visibility scope (projects, ...) hides its citations
        outside that scope; citations of other models are public.
        """
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        for scope in registry.scopes:
            content_type = ContentType.objects.get_for_model(apps.get_model(scope.model))
            visible = scope.visible(request.user).values("pk")
            qs = qs.filter(~Q(content_type=content_type) | Q(object_id__in=visible))
        return qs
