"""The projects' template tags (`{% load pipeline %}`): stage and ageing-colour badges."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from parklink.projects.templatetags import pipeline as tags


class TestBadges:
    def test_stage_label_in_chinese(self) -> None:
        with translation.override("zh-hans"):
            assert tags.stage_label("under_construction") == "在建"

    def test_stage_label_follows_the_language(self) -> None:
        with translation.override("en"):
            assert tags.stage_label("signed") != "签约"

    def test_stage_badge_is_coloured_by_phase(self) -> None:
        with translation.override("zh-hans"):
            assert tags.stage_badge("in_production") == (
                '<span class="pl-badge pl-badge--green" data-stage="in_production">投产</span>'
            )
            assert "pl-badge--red" in tags.stage_badge("terminated")

    @pytest.mark.parametrize(
        ("colour", "text", "tone"),
        [
            ("green", "绿", "green"),
            ("yellow", "黄", "yellow"),
            ("red", "红", "red"),
            ("removal", "建议出库", "dark"),
            ("stalled", "停滞", "grey"),
        ],
    )
    def test_colour_badge_says_the_colour(self, colour: str, text: str, tone: str) -> None:
        with translation.override("zh-hans"):
            html = tags.colour_badge(colour)
        assert f"pl-badge--{tone}" in html and f">{text}</span>" in html

    def test_no_colour_is_a_dash(self) -> None:
        assert "—" in tags.colour_badge(None)


class TestLibrary:
    def test_templates_load_the_badges_as_pipeline(self) -> None:
        with translation.override("zh-hans"):
            html = Template("{% load pipeline %}{{ stage|stage_badge }}").render(
                Context({"stage": "signed"})
            )
        assert html == '<span class="pl-badge pl-badge--blue" data-stage="signed">签约</span>'

    def test_stage_step_counts_along_the_main_line(self) -> None:
        assert tags.stage_step("lead") == 1
        assert tags.stage_step("stalled") == 0
