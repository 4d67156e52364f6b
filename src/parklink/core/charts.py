"""User text inside ECharts options: every chart builder puts it through these (no Django).

ECharts draws labels on the canvas but writes tooltips into the page as HTML. Two places matter:

- A *template* in a formatter ("{b}", "{c}") is filled by ECharts, which HTML-escapes the values
  it puts into tooltips (``formatTpl(..., encode=true)``); the default tooltips, built from data
  names, category values and series names, are escaped by ECharts too.
- A *literal* string in a formatter is used as it is: in a tooltip it becomes HTML, on a label
  its ``{style|text}`` markers become rich text and ``{b}``-style markers are filled in.

So user text never goes into a formatter as it is: ``tooltip_html`` (tooltips) and
``label_text`` / ``rich_text`` (labels) make it literal text. Data ``name`` fields and category
values stay plain: ECharts escapes them where they reach HTML.

The site's chart palette (`PALETTE` and its accents) is here too, for every app's charts.
"""

from __future__ import annotations

from html import escape

# The site's chart palette (web/charts.js), so a role or an indicator keeps its colour.
PALETTE = ["#1f6feb", "#2ea043", "#d29922", "#cf222e", "#8250df", "#1b7c83", "#bf3989"]
ACCENT = "#cf222e"
MUTED = "#57606a"
INK = "#1f2328"
WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a "#rrggbb" colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two "#rrggbb" colours (1 to 21; text needs 4.5)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str) -> str:
    """INK or white, whichever reads better on `background` (a label inside a shape)."""
    return max((INK, WHITE), key=lambda colour: contrast(colour, background))


# Canvas labels: ECharts' rich-text markers become look-alikes that mean nothing to it.
_LABEL_MARKERS = str.maketrans({"{": "(", "}": ")", "|": "/"})
# Tooltips: the same markers as character references, so the reader still sees { and }.
_TEMPLATE_MARKERS = str.maketrans({"{": "&#123;", "}": "&#125;"})


class Markup(str):
    """Tooltip markup or an ECharts template written in code ("<br/>", "{b}"): kept as it is.

    Never wrap user text in it. Anything built from a Markup by string operations is a plain
    str again, so it is escaped like user text.
    """

    __slots__ = ()


BR = Markup("<br/>")


def label_text(text: object) -> str:
    """Text for a label formatter drawn on the canvas: no rich-text or template markers."""
    return str(text).translate(_LABEL_MARKERS)


def rich_text(style: str, text: object) -> str:
    """One rich-text run of a label formatter: ``{style|text}`` with the text made literal."""
    return "{" + style + "|" + label_text(text) + "}"


def html_text(text: object) -> str:
    """Text for an HTML context ECharts renders (tooltips): escaped, no template markers."""
    return escape(str(text), quote=True).translate(_TEMPLATE_MARKERS)


def tooltip_html(*parts: object) -> str:
    """A tooltip formatter from pieces: Markup is kept, everything else is escaped text.

    ``tooltip_html(park, ":", role)`` or ``tooltip_html(name, BR, Markup("{c}"), "亿元")``.
    """
    return "".join(part if isinstance(part, Markup) else html_text(part) for part in parts)
