"""Project forms: 万元 in, 元 out; regions resolved from text; services' errors on their fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.core.errors import IllegalTransition, Invalid
from parklink.core.forms import show_service_error
from parklink.projects.forms import (
    FundsForm,
    ProjectCreateForm,
    ProjectFilterForm,
    ProjectForm,
)
from parklink.projects.models import ProjectTag

pytestmark = pytest.mark.django_db


def create_form(orgs, today, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "锂电池正极材料项目",
        "region_text": "513330",
        "stage": "lead",
        "stage_date": today.isoformat(),
    }
    data.update(overrides)
    return ProjectCreateForm(data, owner=orgs["dege"])


class TestProjectForm:
    def test_amounts_typed_in_wan_are_stored_in_yuan(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(
            orgs,
            today,
            total_investment_wan="120000.5",
            phase_investment_wan="50000",
            expected_annual_tax_wan="0.01",
        )
        assert form.is_valid(), form.errors
        fields = form.service_fields()
        assert fields["total_investment"] == Decimal("1200005000.00")
        assert fields["phase_investment"] == Decimal("500000000.00")
        assert fields["expected_annual_tax"] == Decimal("100.00")
        assert fields["expected_annual_revenue"] is None

    def test_phase_above_total_is_an_error_on_the_phase_field(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, total_investment_wan="100", phase_investment_wan="101")
        assert not form.is_valid()
        assert form.errors["phase_investment_wan"] == ["一期投资不能大于总投资"]

    def test_negative_amount_is_an_error(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, expected_annual_revenue_wan="-5")
        assert not form.is_valid()
        assert form.errors["expected_annual_revenue_wan"] == ["金额不能为负数"]

    def test_non_number_amount_is_an_error(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, total_investment_wan="五亿")
        assert not form.is_valid()
        assert "total_investment_wan" in form.errors

    def test_region_resolves_from_a_name(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, region_text="甘孜州德格县")
        assert form.is_valid(), form.errors
        assert form.service_fields()["region"].adcode == "513330"

    def test_unknown_region_is_an_error_on_the_region_field(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, region_text="亚特兰蒂斯")
        assert not form.is_valid()
        assert "无法识别行政区“亚特兰蒂斯”" in form.errors["region_text"][0]

    def test_blank_region_is_left_to_the_service(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, region_text="")
        assert form.is_valid(), form.errors
        assert form.service_fields()["region"] is None

    def test_tags_are_passed_as_codes(self, orgs, today):  # type: ignore[no-untyped-def]
        ProjectTag.objects.get_or_create(code="aid", defaults={"name": "托底性帮扶"})
        form = create_form(orgs, today, tags=["aid"])
        assert form.is_valid(), form.errors
        assert form.service_fields()["tags"] == ["aid"]

    def test_responsible_account_must_be_of_the_owner(self, orgs, users, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, leader_user=users["jinniu"].pk)
        assert not form.is_valid()
        assert "leader_user" in form.errors

    def test_stalled_is_not_a_stage_to_enter_with(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, stage="stalled")
        assert not form.is_valid()
        assert "stage" in form.errors

    def test_edit_form_starts_from_the_saved_values_in_wan(self, users, today):  # type: ignore[no-untyped-def]
        from parklink.projects import services

        project = services.create_project(
            users["dege"],
            name="光伏储能",
            region_id="513330",
            total_investment=Decimal("1050000000"),
            stage="signed",
            stage_date=today,
        )
        form = ProjectForm(instance=project)
        assert form.initial["total_investment_wan"] == Decimal("105000")
        assert form.initial["region_text"] == "四川省甘孜藏族自治州德格县"


class TestServiceErrors:
    def test_field_keyed_details_land_on_their_fields(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today)
        assert form.is_valid()
        show_service_error(
            form,
            Invalid(
                "项目信息有误",
                detail={"region": "请填写落地行政区或园区", "total_investment": "金额不能为负数"},
            ),
            ProjectForm.field_map,
        )
        assert form.errors["region_text"] == ["请填写落地行政区或园区"]
        assert form.errors["total_investment_wan"] == ["金额不能为负数"]

    def test_a_named_field_gets_the_message(self):  # type: ignore[no-untyped-def]
        form = FundsForm({"received_on": "2025-01-01", "amount_wan": "1"})
        assert form.is_valid()
        show_service_error(
            form, Invalid("到位金额必须大于0", detail={"field": "amount"}), FundsForm.field_map
        )
        assert form.errors["amount_wan"] == ["到位金额必须大于0"]

    def test_other_details_become_a_form_error(self):  # type: ignore[no-untyped-def]
        form = FundsForm({"received_on": "2025-01-01", "amount_wan": "1"})
        assert form.is_valid()
        show_service_error(
            form,
            IllegalTransition(
                "不能变更",
                detail={"from": "lead", "to": "full_production", "allowed": ["negotiating"]},
            ),
        )
        assert form.non_field_errors() == ["不能变更"]


class TestFilterForm:
    def test_unbound_form_sorts_by_signing_date(self, db):  # type: ignore[no-untyped-def]
        filters = ProjectFilterForm().filters()
        assert filters.sort == "-signed_on" and filters.stage == []

    def test_region_name_becomes_an_adcode(self, db):  # type: ignore[no-untyped-def]
        filters = ProjectFilterForm({"region": "金牛区", "stage": ["signed", "started"]}).filters()
        assert filters.region == "510106" and filters.stage == ["signed", "started"]

    def test_invalid_values_are_dropped_and_reported(self, db):  # type: ignore[no-untyped-def]
        form = ProjectFilterForm({"colour": "purple", "maturity": "A", "sort": "password"})
        filters = form.filters()
        assert filters.colour is None and filters.maturity == "A" and filters.sort == "-signed_on"
        assert set(form.errors) == {"colour", "sort"}

    def test_sector_choices_come_from_the_caller(self, db):  # type: ignore[no-untyped-def]
        form = ProjectFilterForm({"sector": "氢能"}, sectors=["氢能", "新材料"])
        assert form.filters().sector == "氢能"
        assert ProjectFilterForm({"sector": "氢能"}).filters().sector is None


class TestAmountErrors:
    """Amounts are typed in 万元: their errors say so, in Chinese punctuation."""

    @pytest.mark.parametrize("typed", ["12345678901234567", "99999999999", "1e20"])
    def test_a_huge_amount_is_refused_in_wan_terms(self, orgs, today, typed):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, total_investment_wan=typed)
        assert not form.is_valid()
        [message] = form.errors["total_investment_wan"]
        assert "万元" in message and "9,999,999,999" in message
        assert "." not in message.replace("9,999,999,999", "") and "数字" not in message

    def test_too_many_decimals_say_the_unit_and_the_fen(self, orgs, today):  # type: ignore[no-untyped-def]
        form = create_form(orgs, today, total_investment_wan="1.1234567")
        [message] = form.errors["total_investment_wan"]
        assert "万元" in message and "分" in message and not message.endswith(".")

    def test_funds_amount_errors_are_in_wan_terms_too(self) -> None:
        from parklink.projects.forms import FundsForm

        form = FundsForm({"received_on": "2025-03-21", "amount_wan": "12345678901234567"})
        [message] = form.errors["amount_wan"]
        assert "万元" in message and not message.endswith(".")
