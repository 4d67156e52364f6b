"""Forms that only parse: service refusals on their fields, row lists, filter helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django import forms

from parklink.core.errors import Conflict, Duplicate, Forbidden, Invalid, NotFound
from parklink.core.forms import (
    RowForm,
    RowList,
    cleaned,
    plain,
    refusals_on,
    row_formset,
    show_service_error,
)


class PlaceForm(forms.Form):
    name = forms.CharField()
    area_wan = forms.DecimalField(required=False)
    region = forms.CharField(required=False)

    field_aliases: ClassVar[dict[str, str]] = {"area": "area_wan"}
    duplicate_field = "name"


def bound() -> PlaceForm:
    form = PlaceForm({"name": "德格园", "area_wan": "1", "region": "德格县"})
    assert form.is_valid()
    return form


class TestShowServiceError:
    def test_each_problem_lands_on_its_field(self) -> None:
        form = bound()
        show_service_error(form, Invalid("有误", detail={"name": "太长", "area": "过大"}))
        assert form.errors == {"name": ["太长"], "area_wan": ["过大"]}

    def test_a_field_map_and_an_id_suffix_reach_the_field(self) -> None:
        form = bound()
        show_service_error(form, Invalid("有误", detail={"place": "不对"}), {"place": "name"})
        show_service_error(form, Invalid("有误", detail={"region_id": "未知"}))
        assert form.errors == {"name": ["不对"], "region": ["未知"]}

    def test_a_named_field_gets_the_message(self) -> None:
        form = bound()
        show_service_error(form, Conflict("金额过大", detail={"field": "area", "total": 1}))
        assert form.errors == {"area_wan": ["金额过大"]}

    def test_problems_without_a_field_go_on_top_beside_the_placed_ones(self) -> None:
        form = bound()
        show_service_error(form, Invalid("有误", detail={"name": "太长", "owner": "请指定"}))
        assert form.errors["name"] == ["太长"]
        assert form.non_field_errors() == ["请指定"]

    def test_nothing_placed_puts_the_message_on_top(self) -> None:
        form = bound()
        show_service_error(form, Invalid("企业基地有误", detail={"sites": "最多 255 个字"}))
        assert form.non_field_errors() == ["企业基地有误"]

    def test_a_detail_that_is_not_messages_puts_the_message_on_top(self) -> None:
        form = bound()
        show_service_error(form, Conflict("不能变更", detail={"name": "x", "allowed": ["a"]}))
        assert form.errors == {"__all__": ["不能变更"]}

    def test_a_duplicate_goes_to_the_duplicate_field(self) -> None:
        form = bound()
        show_service_error(form, Duplicate("已有同名园区", detail={"existing_id": 3}))
        assert form.errors == {"name": ["已有同名园区"]}


class TestRefusalsOn:
    def test_a_rule_violation_becomes_form_errors(self) -> None:
        form = bound()
        with refusals_on(form) as outcome:
            raise Invalid("有误", detail={"name": "太长"})
        assert not outcome.ok
        assert form.errors == {"name": ["太长"]}

    def test_a_call_that_passes_is_ok(self) -> None:
        with refusals_on(bound()) as outcome:
            pass
        assert outcome.ok and outcome.error is None

    @pytest.mark.parametrize("error", [Forbidden("不能改"), NotFound("没有")])
    def test_refusals_of_the_page_pass_on(self, error: Exception) -> None:
        with pytest.raises(type(error)), refusals_on(bound()):
            raise error

    def test_a_given_show_replaces_the_default(self) -> None:
        seen: list[Any] = []
        form = bound()
        with refusals_on(form, show=seen.append) as outcome:
            raise Conflict("冲突")
        assert seen == [outcome.error] and not form.errors


class NameRow(RowForm):
    content_fields = ("name",)
    name = forms.CharField(required=False)

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"name": data["name"]}


NameFormSet = row_formset(NameRow, 3)


def posted(*names: str, delete: int | None = None) -> dict[str, str]:
    data = {"rows-TOTAL_FORMS": str(len(names)), "rows-INITIAL_FORMS": "0"}
    for index, name in enumerate(names):
        data[f"rows-{index}-name"] = name
    if delete is not None:
        data[f"rows-{delete}-DELETE"] = "on"
    return data


class TestRowList:
    def test_blank_and_deleted_rows_are_not_items(self) -> None:
        rows = RowList(NameFormSet(posted("甲", "", "丙", delete=2), prefix="rows"))
        assert rows.is_valid()
        assert rows.items() == [{"name": "甲"}]

    def test_a_list_not_posted_has_no_items(self) -> None:
        rows = RowList(NameFormSet(prefix="rows"))
        assert rows.is_valid() and rows.items() is None

    def test_service_problems_land_on_their_rows(self) -> None:
        rows = RowList(NameFormSet(posted("", "乙", "丙"), prefix="rows"))
        assert rows.is_valid()
        rows.items()
        assert rows.add_service_errors({"rows.1.name": "重复", "other.0.name": "x"}, "rows")
        assert rows.forms_of_items[1].errors == {"name": ["重复"]}
        assert not rows.forms_of_items[0].errors


class TestHelpers:
    def test_cleaned_keeps_the_valid_fields_of_a_filter_form(self) -> None:
        form = PlaceForm({"name": "德格园", "area_wan": "abc"})
        assert cleaned(form) == {"name": "德格园", "region": ""}

    def test_cleaned_of_an_unbound_form_is_empty(self) -> None:
        assert cleaned(PlaceForm()) == {}

    def test_plain_writes_a_decimal_as_typed(self) -> None:
        assert plain(Decimal("176.2500")) == "176.25"
        assert plain(Decimal("1E+2")) == "100"
        assert plain(None) == ""
