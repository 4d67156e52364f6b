"""A scheme's broken YAML is reported with its position as a translatable message."""

from __future__ import annotations

import pytest
from django.utils import translation

from parklink.core.errors import Invalid
from parklink.kpi.services.schemes import parse_text


def test_broken_yaml_names_line_and_column() -> None:
    with pytest.raises(Invalid) as caught:
        parse_text("key: a\nitems: [1, 2\nname: b\n")
    message = caught.value.detail["text"]
    assert message.startswith("YAML 格式错误(第") and "行第" in message and "列)" in message
    with pytest.raises(Invalid) as caught:
        parse_text("key: [")
    assert "第1行" in caught.value.detail["text"] or "第2行" in caught.value.detail["text"]


def test_the_message_goes_through_the_catalogue() -> None:
    with translation.override("en"), pytest.raises(Invalid) as caught:
        parse_text("a: [")
    # The placeholders are filled whatever the catalogue holds for the message.
    assert "%(" not in caught.value.detail["text"]
