"""User text that tries to break out of ECharts options, and a check that none of it did."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# What a park officer could type into any name: HTML that runs script, ECharts templates.
IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
SCRIPT = "<script>window.__xss=1</script>"
TEMPLATE = "{b}"
RICH = "{a|x}"
PAYLOADS = (IMG, SCRIPT, TEMPLATE, RICH)
HOSTILE = f"金{IMG}{SCRIPT}{TEMPLATE}{RICH}园"
# The same attack short enough for a 64-character column (sectors, short names): PostgreSQL
# refuses longer text where SQLite would store it.
FITTING_HOSTILE = f"金<img src=x onerror=alert(1)><script>1</script>{TEMPLATE}{RICH}园"
assert len(FITTING_HOSTILE) <= 64


def formatters(node: Any, in_tooltip: bool = False) -> Iterator[tuple[bool, str]]:
    """Every string formatter in an option: (inside a tooltip, the formatter)."""
    if isinstance(node, list):
        for item in node:
            yield from formatters(item, in_tooltip)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "formatter" and isinstance(value, str):
                yield in_tooltip, value
            else:
                yield from formatters(value, key == "tooltip")


def assert_no_payload_in_formatters(option: dict[str, Any]) -> None:
    """No formatter carries a payload as it is.

    Tooltips are HTML: no markup and no template from user text. Labels are drawn on the canvas,
    where markup is harmless text, but templates and rich-text runs must stay literal.
    """
    for in_tooltip, formatter in formatters(option):
        # "{b}" alone is a fine template of our own; after "<script>" or before "{a|x}" it is not.
        for payload in (f"</script>{TEMPLATE}", f"{TEMPLATE}{RICH}", RICH):
            assert payload not in formatter, formatter
        if in_tooltip:
            assert "<img" not in formatter and "<script" not in formatter, formatter
