"""User text inside ECharts options: literal on labels, escaped in tooltips."""

from __future__ import annotations

import json

from parklink.core.charts import (
    ACCENT,
    BR,
    INK,
    MUTED,
    WHITE,
    Markup,
    contrast,
    html_text,
    label_text,
    rich_text,
    text_on,
    tooltip_html,
)
from tests.support.charts import HOSTILE, IMG, SCRIPT


class TestLabelText:
    def test_rich_text_and_template_markers_become_look_alikes(self) -> None:
        assert label_text("A{b}|c{a|x}") == "A(b)/c(a/x)"

    def test_markup_is_left_alone_because_the_canvas_draws_it_as_text(self) -> None:
        assert label_text(SCRIPT) == SCRIPT

    def test_anything_is_turned_into_text(self) -> None:
        assert label_text(12) == "12"


class TestRichText:
    def test_one_styled_run_with_the_user_text_made_literal(self) -> None:
        assert rich_text("name", "金{role|x}园") == "{name|金(role/x)园}"


class TestHtmlText:
    def test_markup_is_escaped(self) -> None:
        assert html_text(IMG) == (
            "&lt;img src=x onerror=&quot;window.__xss=(window.__xss||0)+1&quot;&gt;"
        )
        assert html_text(SCRIPT) == "&lt;script&gt;window.__xss=1&lt;/script&gt;"

    def test_quotes_and_ampersands_are_escaped(self) -> None:
        assert html_text('A&B\'s "C"') == "A&amp;B&#x27;s &quot;C&quot;"

    def test_template_markers_become_character_references(self) -> None:
        # ECharts fills "{b}" in a tooltip formatter; "&#123;b&#125;" reads "{b}" and stays so.
        assert html_text("{b}{a|x}") == "&#123;b&#125;&#123;a|x&#125;"

    def test_chinese_text_is_unchanged(self) -> None:
        assert html_text("高德产业园:研发孵化") == "高德产业园:研发孵化"


class TestTooltipHtml:
    def test_user_pieces_are_escaped_and_markup_pieces_kept(self) -> None:
        html = tooltip_html(HOSTILE, BR, Markup("{c}"), "亿元")
        assert html.startswith("金&lt;img src=x")
        assert html.endswith("&#123;b&#125;&#123;a|x&#125;园<br/>{c}亿元")
        assert "<img" not in html and "<script" not in html

    def test_a_markup_piece_joined_to_user_text_is_no_longer_markup(self) -> None:
        joined = Markup("<br/>") + IMG
        assert not isinstance(joined, Markup)
        assert "<" not in tooltip_html(joined)

    def test_the_result_serialises_to_json_as_a_plain_string(self) -> None:
        assert json.loads(json.dumps({"formatter": tooltip_html(BR, "a")})) == {
            "formatter": "<br/>a"
        }


class TestContrast:
    def test_black_on_white_is_the_largest_ratio(self) -> None:
        assert round(contrast("#000000", "#ffffff"), 2) == 21.0
        assert contrast("#ffffff", "#000000") == contrast("#000000", "#ffffff")

    def test_a_grey_just_below_the_text_threshold(self) -> None:
        assert 4.4 < contrast("#777777", "#ffffff") < 4.5

    def test_text_on_picks_the_readable_ink(self) -> None:
        assert text_on("#9ec5f8") == INK  # a light band: dark text
        assert text_on("#123f82") == WHITE  # a deep band: white text

    def test_the_chart_text_colours_read_on_white(self) -> None:
        for colour in (INK, MUTED, ACCENT):
            assert contrast(colour, WHITE) >= 4.5, colour
