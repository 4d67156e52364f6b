"""Lists in words follow the language: a refusal names the allowed actions with the
translatable list separator, never a hard-coded "、" between translated labels."""

from __future__ import annotations

import pytest

from parklink.core.errors import IllegalTransition
from parklink.matching.models_finance import FinancingNeed
from parklink.matching.services import finance, words


def test_chinese_lists_use_the_enumeration_comma() -> None:
    assert words.join(["匹配产品", "撤回需求"]) == "匹配产品、撤回需求"
    assert words.join([]) == ""


def test_a_refusal_joins_the_allowed_actions_with_the_languages_separator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    need = FinancingNeed(status="registered")
    with pytest.raises(IllegalTransition) as refused:
        finance._step(need, "disburse")
    assert "可执行:匹配产品、撤回需求" in refused.value.message
    # As the English catalogue will: the separator is looked up under its context.
    looked_up: list[tuple[str, str]] = []

    def english(context: str, message: str) -> str:
        looked_up.append((context, message))
        return ", "

    monkeypatch.setattr(words, "pgettext", english)
    with pytest.raises(IllegalTransition) as refused:
        finance._step(need, "disburse")
    assert "匹配产品, 撤回需求" in refused.value.message
    assert looked_up == [("list separator", "、")]


def test_every_lifecycle_action_has_a_translatable_label() -> None:
    from parklink.matching.finance import lifecycle

    for transition in lifecycle.TRANSITIONS:
        assert transition.action in finance.ACTION_LABELS
        assert finance.action_label(transition) == transition.label
