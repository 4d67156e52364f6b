"""The pure survey engine: questions as data, answers checked, rates computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.kpi.engine import surveys as engine

QUESTIONS = [
    {"key": "status", "type": "status", "label": "复工状态", "required": True},
    {"key": "capacity", "type": "capacity", "label": "产能利用率"},
    {"key": "staff", "type": "workforce", "label": "用工"},
    {"key": "orders", "type": "orders", "label": "在手订单"},
    {"key": "problems", "type": "problems", "label": "诉求"},
    {"key": "note", "type": "text", "label": "说明"},
]


def test_questions_are_checked_with_every_problem_listed() -> None:
    with pytest.raises(engine.SurveyError) as caught:
        engine.read_questions(
            [
                {"key": "a", "type": "capacity", "label": "产能"},
                {"key": "a", "type": "capacity", "label": "产能2"},
                {"key": "b c", "type": "weather", "label": ""},
            ]
        )
    messages = [p[1] for p in caught.value.problems]
    assert any("重复" in m for m in messages)
    assert any("只能有一个" in m for m in messages)
    assert any("weather" in m for m in messages)
    assert any("缺少题目" in m for m in messages)
    with pytest.raises(engine.SurveyError, match="status"):
        engine.read_questions([{"key": "c", "type": "capacity", "label": "产能"}])
    assert next(q.type for q in engine.read_questions(QUESTIONS)) == "status"


def test_answers_are_checked_and_normalised() -> None:
    questions = engine.read_questions(QUESTIONS)
    answer = engine.read_answer(
        questions,
        {
            "status": "部分复工",
            "capacity": "62.5",
            "staff": {"on_duty": "80", "usual": "100"},
            "orders": "1,200,000.5",
            "problems": [{"category": "labour", "text": "缺工"}, {"category": "", "text": ""}],
            "note": " 正常 ",
        },
    )
    assert answer.status == "partial"
    assert answer.capacity == Decimal("62.50")
    assert (answer.on_duty, answer.usual) == (80, 100)
    assert answer.orders == Decimal("1200000.50")
    assert answer.problems == [{"category": "labour", "text": "缺工"}]
    assert answer.values["note"] == "正常"


@pytest.mark.parametrize(
    ("raw", "key", "words"),
    [
        ({}, "status", "请填写"),
        ({"status": "营业"}, "status", "复工、部分复工"),
        ({"status": "resumed", "capacity": "120"}, "capacity", "0到100"),
        ({"status": "resumed", "capacity": "abc"}, "capacity", "0到100"),
        ({"status": "resumed", "staff": {"on_duty": "5"}}, "staff", "同时填写"),
        ({"status": "resumed", "staff": {"on_duty": "1.5", "usual": "3"}}, "staff", "整数"),
        ({"status": "resumed", "orders": "-1"}, "orders", "负数"),
        ({"status": "resumed", "orders": "1e999999"}, "orders", "过大"),
        ({"status": "resumed", "orders": "1e16"}, "orders", "过大"),
        ({"status": "resumed", "staff": {"on_duty": "1", "usual": str(2**31)}}, "staff", "过大"),
        ({"status": "resumed", "problems": [{"category": "x", "text": "t"}]}, "problems", "类别"),
        ({"status": "resumed", "problems": [{"category": "labour"}]}, "problems", "缺少内容"),
        ({"status": "halted", "capacity": "30"}, "capacity", "应为0"),
    ],
)
def test_bad_answers_name_the_question_and_the_reason(raw: dict, key: str, words: str) -> None:
    with pytest.raises(engine.SurveyError) as caught:
        engine.read_answer(engine.read_questions(QUESTIONS), raw)
    messages = caught.value.messages("zh")
    assert key in messages and words in messages[key]
    assert caught.value.messages("en")[key] != messages[key]


def reply(i: int, status: str, **kw: object) -> engine.Reply:
    return engine.Reply(id=i, name=f"企业{i}", status=status, **kw)  # type: ignore[arg-type]


def test_rates_by_hand() -> None:
    replies = [
        reply(1, "resumed", above_scale=True, capacity=Decimal(90), on_duty=90, usual=100),
        reply(2, "partial", above_scale=True, capacity=Decimal(50), on_duty=30, usual=60),
        reply(3, "not_resumed", key_project=True, capacity=Decimal(0), on_duty=0, usual=40),
        reply(4, "resumed", key_project=True),
        reply(5, ""),  # not answered
    ]
    found = engine.rates(replies)
    resumption = found[("all", "resumption")]
    assert resumption.value == Decimal("0.7500")  # 3 of 4 answered
    assert resumption.counted == (1, 2, 4) and resumption.base == (1, 2, 3, 4)
    assert found[("all", "full_resumption")].value == Decimal("0.5000")
    # (90 + 50 + 0) / 3 / 100
    assert found[("all", "capacity")].value == Decimal("0.4667")
    # (90 + 30 + 0) / (100 + 60 + 40)
    assert found[("all", "workforce")].value == Decimal("0.6000")
    assert found[("all", "response")].value == Decimal("0.8000")
    assert found[("above_scale", "resumption")].value == Decimal(1)
    assert found[("key_projects", "resumption")].value == Decimal("0.5000")
    assert found[("key_projects", "capacity")].base == (3,)
    # Nothing in a denominator: no value, not zero.
    assert engine.rates([reply(9, "")])[("all", "resumption")].value is None
    assert engine.status_counts(replies) == {
        "resumed": 2,
        "partial": 1,
        "not_resumed": 1,
        "halted": 0,
        "": 1,
    }
