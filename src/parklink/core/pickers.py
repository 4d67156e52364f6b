"""A choice among more rows than a page can list: the user types, the search finds, the user
picks (企业, 项目 …, by name, pinyin, initials or code).

`Picker` and `MultiPicker` replace a `<select>` of every row. They render only the chosen rows,
and a search box that asks the registered search provider of their `kind` (`core.search.pick`,
served at `/search/pick/<kind>/`) for the rows the user may see. The form field stays a
`ModelChoiceField` / `ModelMultipleChoiceField`, so what is submitted is validated against the
field's own queryset as before; a row the field does not allow is refused as before.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Picker(forms.Select):
    """One row, found by typing."""

    template_name = "core/widgets/picker.html"

    def __init__(
        self, kind: str, attrs: dict[str, Any] | None = None, placeholder: Any = None
    ) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.placeholder = placeholder

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return id_  # the label names the search box, which carries the field's id

    def _chosen(self, values: list[str]) -> list[tuple[str, str]]:
        wanted = [str(v) for v in values if v not in ("", None)]
        if not wanted:
            return []
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        if queryset is None or field is None:
            return [(str(v), str(label)) for v, label in self.choices if str(v) in wanted]
        try:
            rows = {str(row.pk): row for row in queryset.filter(pk__in=wanted)}
        except (ValueError, TypeError, ValidationError):
            return []
        return [(pk, str(field.label_from_instance(rows[pk]))) for pk in wanted if pk in rows]

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        """Only the chosen rows (never the whole queryset)."""
        return [
            (None, [self.create_option(name, pk, label, True, index, attrs=attrs)], index)
            for index, (pk, label) in enumerate(self._chosen(value))
        ]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget_attrs = dict(widget["attrs"])
        search_id = widget_attrs.pop("id", f"id_{name}")
        required = widget_attrs.pop("required", False)
        widget_attrs["id"] = f"{search_id}_chosen"
        widget["attrs"] = widget_attrs
        widget["search_id"] = search_id
        widget["search_required"] = bool(required)
        widget["pick_url"] = reverse("search_pick", args=[self.kind])
        widget["placeholder"] = self.placeholder or _("输入名称、拼音或代码查找")
        widget["multiple"] = self.allow_multiple_selected
        return context


class MultiPicker(Picker, forms.SelectMultiple):
    """Any number of rows, each found by typing."""

    allow_multiple_selected = True
