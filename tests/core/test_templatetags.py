"""The shared template tags (`{% load parklink %}`): amounts and areas with units, links."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.test import RequestFactory

from parklink.core.templatetags import parklink as tags


class TestAmounts:
    def test_amount_picks_yi_or_wan(self) -> None:
        assert tags.amount(Decimal("560000000")) == "5.6亿元"
        assert tags.amount(Decimal("3500000")) == "350万元"
        assert tags.amount(None) == "—"

    def test_amount_accepts_places(self) -> None:
        assert tags.amount(Decimal("123456789"), 1) == "1.2亿元"

    def test_wan_gives_a_plain_number_for_forms(self) -> None:
        assert tags.wan(Decimal("125000000")) == "12500"
        assert tags.wan(Decimal("1234")) == "0.1234"
        assert tags.wan(None) == ""

    def test_area_in_wan_square_metres(self) -> None:
        assert tags.area_m2(Decimal("745000")) == "74.5万平方米"
        assert tags.area_m2(850) == "850平方米"
        assert tags.area_m2(None) == "—"

    def test_percent(self) -> None:
        assert tags.percent(Decimal("0.4567"), 1) == "45.7%"
        assert tags.percent(None) == "—"


class TestLinks:
    def render(self, source: str, query: str, **context: object) -> str:
        request = RequestFactory().get("/projects/?" + query)
        return Template("{% load parklink %}" + source).render(
            Context({"request": request, **context})
        )

    def test_query_replaces_one_parameter_and_keeps_the_rest(self) -> None:
        html = self.render("{% query page=3 %}", "stage=signed&stage=started&page=1")
        assert html == "?stage=signed&amp;stage=started&amp;page=3"

    def test_sort_link_flips_direction(self) -> None:
        first = self.render('{% sort_link "name" "名称" %}', "", sort="-signed_on")
        assert 'href="?sort=-name"' in first and "pl-sort--none" in first
        again = self.render('{% sort_link "name" "名称" %}', "sort=-name", sort="-name")
        assert 'href="?sort=name"' in again and "▼" in again

    def test_sort_link_returns_to_the_first_page(self) -> None:
        html = self.render('{% sort_link "stage" "阶段" %}', "page=4&q=氢", sort="")
        assert "page=" not in html and "q=%E6%B0%A2" in html
