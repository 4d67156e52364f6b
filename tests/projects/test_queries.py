"""projects.queries: sorting of the filtered library (the API, the pages and exports share it)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parklink.core.errors import Invalid
from parklink.projects import services
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    visible_projects,
)


@pytest.fixture
def library(users, today):  # type: ignore[no-untyped-def]
    """Two signed projects with amounts, and a lead that is neither signed nor costed."""
    officer = users["jinniu"]
    for name, stage, days, amount in (
        ("早签约", "signed", 20, Decimal("100")),
        ("晚签约", "signed", 5, Decimal("300")),
        ("未签约线索", "lead", 1, None),
    ):
        services.create_project(
            officer,
            name=name,
            region_id="510106",
            stage=stage,
            stage_date=today - timedelta(days=days),
            total_investment=amount,
        )
    return officer


def names(user, sort: str) -> list[str]:  # type: ignore[no-untyped-def]
    qs = apply_filters(visible_projects(user), ProjectFilters(sort=sort))
    return list(qs.values_list("name", flat=True))


class TestSorting:
    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("-signed_on", ["晚签约", "早签约", "未签约线索"]),
            ("signed_on", ["早签约", "晚签约", "未签约线索"]),
            ("-total_investment", ["晚签约", "早签约", "未签约线索"]),
            ("total_investment", ["早签约", "晚签约", "未签约线索"]),
        ],
    )
    def test_projects_without_the_value_come_last_in_either_direction(
        self, library, sort, expected
    ):  # type: ignore[no-untyped-def]
        assert names(library, sort) == expected

    def test_a_doubled_minus_is_refused_like_an_unknown_field(self, library):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            names(library, "--name")
        assert caught.value.detail["field"] == "sort"


class TestToday:
    """PARKLINK_TODAY: the day the projects are judged on (the demo's data date in `make run`)."""

    def test_the_setting_is_the_day_ageing_counts_to(self, users, settings) -> None:  # type: ignore[no-untyped-def]
        from datetime import date

        from parklink.projects.ageing import Colour
        from parklink.projects.queries import today

        settings.PARKLINK_TODAY = date(2025, 3, 31)
        assert today() == date(2025, 3, 31)
        project = services.create_project(
            users["jinniu"],
            name="演示项目",
            region_id="510106",
            stage="signed",
            stage_date=date(2025, 3, 21),
        )
        assert services.colour_of(project) == Colour.GREEN

    def test_without_the_setting_it_is_the_local_date(self, settings) -> None:  # type: ignore[no-untyped-def]
        from django.utils import timezone

        from parklink.projects.queries import today

        settings.PARKLINK_TODAY = None
        assert today() == timezone.localdate()
