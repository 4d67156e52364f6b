"""What every app's forms share: forms that only parse, services' refusals on forms, row lists.

A page's form parses; the service validates and saves. When the service refuses, its
`core.errors` detail ({field: message}) is put next to the fields (`show_service_error`), so
forms, API and imports show the same words. Editable lists of rows (a park's industries, a
linkage's members) are formsets of `RowForm`s wrapped in a `RowList` and rendered by
`core/_formset.html`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.core.errors import Duplicate, Forbidden, NotFound, ParkLinkError

# ---------------------------------------------------------------- small helpers


class WanField(forms.DecimalField):
    """An amount typed in 万元: Django's digit-count errors become errors in 万元 terms.

    (Django says "确认总共不超过 16 个数字." with an English full stop; a user typing 万元 needs
    the largest amount and the precision in 万元.)
    """

    def __init__(self, *, max_digits: int = 16, decimal_places: int = 6, **kwargs: Any) -> None:
        limit = f"{10 ** (max_digits - decimal_places) - 1:,}"
        too_big = _lazy_text(lambda: _("金额过大:以万元填写,最多%(limit)s万元") % {"limit": limit})
        places = _lazy_text(
            lambda: (
                _("以万元填写时最多6位小数(即精确到分)")
                if decimal_places == 6
                else _("以万元填写时最多%(places)s位小数") % {"places": decimal_places}
            )
        )
        messages = {
            "invalid": gettext_lazy("请填写数字金额(单位:万元)"),
            "max_digits": too_big,
            "max_whole_digits": too_big,
            "max_decimal_places": places,
            "min_value": gettext_lazy("金额不能为负数"),
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(
            max_digits=max_digits, decimal_places=decimal_places, error_messages=messages, **kwargs
        )


def _lazy_text(make: Callable[[], str]) -> str:
    """A message built when shown, in the language of that request."""
    return cast(str, lazy(make, str)())


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The fields of a filter form that are valid (a bad one is ignored, not fatal)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return dict(form.cleaned_data)


def set_choices(form: forms.Form, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
    """Give a choice field of `form` its choices, computed per request."""
    choice_field = form.fields[name]
    assert isinstance(choice_field, forms.ChoiceField)
    choice_field.choices = list(choices)


def plain(value: Decimal | None) -> str:
    """A decimal as typed by hand: 176.2500 → "176.25", 1E+2 → "100"."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


# ---------------------------------------------------------------- services' refusals on forms


def _field_for(form: forms.BaseForm, aliases: Mapping[str, str], name: str) -> str | None:
    """The form field a service's field name means, or None when the form has none."""
    for candidate in (aliases.get(name), name, name.removesuffix("_id")):
        if candidate and candidate in form.fields:
            return candidate
    return None


def show_service_error(
    form: forms.BaseForm, error: ParkLinkError, field_map: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on `form`: each problem next to its field, the rest on top.

    Services name fields as {"field": name} (the message is about that field) or as
    {name: message, ...}. A name reaches its form field through `field_map`, the form's
    `field_aliases` or without its "_id" suffix; a duplicate goes to the form's
    `duplicate_field`. When no problem lands on a field, the error's message goes on top.
    """
    aliases = {**getattr(form, "field_aliases", {}), **(field_map or {})}
    detail = error.detail
    duplicate_field = getattr(form, "duplicate_field", None)
    if isinstance(error, Duplicate) and duplicate_field in form.fields:
        form.add_error(duplicate_field, error.message)
        return
    if isinstance(detail, dict) and isinstance(detail.get("field"), str):
        form.add_error(_field_for(form, aliases, detail["field"]), error.message)
        return
    messages = isinstance(detail, dict) and all(isinstance(v, str) for v in detail.values())
    placed = {name: _field_for(form, aliases, name) for name in detail} if messages else {}
    if not any(placed.values()):
        form.add_error(None, error.message)
        return
    for name, problem in detail.items():
        if problem:
            form.add_error(placed[name], problem)


@dataclass
class Outcome:
    """What became of a service call made under `refusals_on`."""

    error: ParkLinkError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def refusals_on(
    form: forms.BaseForm,
    field_map: Mapping[str, str] | None = None,
    *,
    show: Callable[[ParkLinkError], None] | None = None,
) -> Iterator[Outcome]:
    """Run a service call whose refusal becomes `form`'s errors (`show` when given).

    `Forbidden` and `NotFound` pass on: the page answers them (core.views.ServiceErrors).
    """
    outcome = Outcome()
    try:
        yield outcome
    except (Forbidden, NotFound):
        raise
    except ParkLinkError as error:
        outcome.error = error
        if show is not None:
            show(error)
        else:
            show_service_error(form, error, field_map)


class ServiceModelForm(forms.ModelForm):
    """A model form that only parses: the service validates the record and saves it.

    Django's own model validation would report duplicates with a generic message before the
    service could name the existing record, so it is left to the service.
    """

    #: service field name → form field name, where the form asks in other units
    field_aliases: ClassVar[Mapping[str, str]] = {}
    #: the field a `Duplicate` refusal is shown on (else above the form)
    duplicate_field: ClassVar[str | None] = None

    def _post_clean(self) -> None:
        return None


# ---------------------------------------------------------------- editable lists of rows
#
# Rows are plain forms in formsets: they only parse. A blank row is ignored and a row marked
# for deletion is dropped; the services check the rest and replace the rows whole.


class RowForm(forms.Form):
    """One row of an editable list; `item()` gives it as the services take it."""

    #: the fields that make a row worth keeping when one of them is filled
    content_fields: ClassVar[tuple[str, ...]] = ()
    #: the row shows a unit beside its `value` input (see core/_formset_row.html)
    has_unit: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row_field in self.fields.values():
            # Rows sit in a table under one header: name each input for screen readers.
            row_field.widget.attrs.setdefault("aria-label", str(row_field.label))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(name) in (None, "") for name in self.content_fields)

    def item(self) -> dict[str, Any] | None:
        """The row as a service item, or None when it is blank or removed."""
        data = getattr(self, "cleaned_data", None)
        if data is None or data.get("DELETE") or self.is_blank():
            return None
        return self.as_item(data)

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class RowFormSet(forms.BaseFormSet):  # the stubs make it generic; Django does not
    """Rows that are all read, even an added row equal to a stored one.

    Django skips an unchanged extra form; here a blank row is skipped by RowForm.item() instead,
    so what counts is what the row holds, not whether it differs from the page's first load.
    """

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "empty_permitted": False}


def row_formset(form: type[RowForm], limit: int) -> type[forms.BaseFormSet[Any]]:
    """A formset of `form` rows: one blank row to add, delete boxes, at most `limit` rows."""
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=1,
        can_delete=True,
        max_num=limit,
        absolute_max=limit,
        validate_max=True,
    )


def submitted(data: Mapping[str, Any] | None, prefix: str) -> bool:
    """Whether a POST carries the formset `prefix` (a post without it leaves those rows alone)."""
    return data is not None and f"{prefix}-TOTAL_FORMS" in data


@dataclass
class RowList:
    """One formset of a page and, once validated, the forms behind its service items."""

    formset: forms.BaseFormSet[Any]
    forms_of_items: list[forms.Form] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return str(self.formset.prefix)

    def is_valid(self) -> bool:
        return not self.formset.is_bound or self.formset.is_valid()

    def items(self) -> list[dict[str, Any]] | None:
        """The rows as service items (None when the list was not posted)."""
        if not self.formset.is_bound:
            return None
        items: list[dict[str, Any]] = []
        self.forms_of_items = []
        for form in self.formset.forms:
            assert isinstance(form, RowForm)
            item = form.item()
            if item is not None:
                items.append(item)
                self.forms_of_items.append(form)
        return items

    def add_service_errors(self, detail: Mapping[str, Any], key: str) -> bool:
        """Put the problems "<key>.<index>.<field>" next to their rows; True if any was."""
        placed = False
        for name, problem in detail.items():
            head, _dot, rest = str(name).partition(".")
            index, _dot, field_name = rest.partition(".")
            if head != key or not index.isdigit() or int(index) >= len(self.forms_of_items):
                continue
            form = self.forms_of_items[int(index)]
            form.add_error(field_name if field_name in form.fields else None, str(problem))
            placed = True
        return placed


def row_list(
    formset_class: type[forms.BaseFormSet[Any]],
    data: Mapping[str, Any] | None,
    prefix: str,
    initial: list[dict[str, Any]],
    **kwargs: Any,
) -> RowList:
    bound = data if submitted(data, prefix) else None
    return RowList(formset_class(bound, prefix=prefix, initial=initial, **kwargs))
