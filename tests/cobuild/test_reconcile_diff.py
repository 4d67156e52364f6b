"""ledger.diff on its own: causes that add up exactly, without a database."""

from __future__ import annotations

from fractions import Fraction

from parklink.cobuild.ledger import diff
from parklink.cobuild.ledger.types import Problem, RuleSpec, Scope

RULE = RuleSpec(
    "vat", "vat_local", Scope("all"), "fixed_ratio", {"shares": {"a": "1/3", "b": "2/3"}}
)


def part(record: str, party: str, amount: int, share: str, basis: int) -> diff.Part:
    return diff.Part(
        record, "E1", "vat_local", party, amount, "vat", "ratio", Fraction(share), basis
    )


def side(
    label: str, parts: list[diff.Part], figures: list[diff.Figure], **unmatched: Problem
) -> diff.Side:
    return diff.Side(label, 1, parts, figures, {"vat": RULE}, unmatched)


def test_rounding_stays_with_the_figures() -> None:
    """100 fen at 1/3 : 2/3 → 33 / 67 (largest remainder); 101 → 34 / 67."""
    before = side("2025Q1", [part("1", "a", 33, "1/3", 100), part("1", "b", 67, "2/3", 100)],
                  [diff.Figure("1", "E1", "vat_local", 100)])  # fmt: skip
    after = side("2025Q2", [part("2", "a", 34, "1/3", 101), part("2", "b", 67, "2/3", 101)],
                 [diff.Figure("2", "E1", "vat_local", 101)])  # fmt: skip
    found = diff.reconcile(before, after)
    assert [
        (x.party, x.before, x.after, [(c.kind, c.amount) for c in x.causes]) for x in found.lines
    ] == [
        ("a", 33, 34, [("records", 1)]),
    ]
    assert found.recorded == {"vat_local": (100, 101)}


def test_a_figure_no_rule_split_is_explained_with_the_engines_reason() -> None:
    before = side("2025Q1", [part("1", "a", 33, "1/3", 100), part("1", "b", 67, "2/3", 100)],
                  [diff.Figure("1", "E1", "vat_local", 100)])  # fmt: skip
    reason = Problem("anchor", "企业 E1 没有投产日期", "E1 has no date of production")
    after = side("2025Q1", [], [diff.Figure("2", "E1", "vat_local", 100)], **{"2": reason})
    found = diff.reconcile(before, after)
    assert [(x.party, [(c.kind, c.amount, c.en) for c in x.causes]) for x in found.lines] == [
        ("a", [("unmatched", -33, "not split: E1 has no date of production")]),
        ("b", [("unmatched", -67, "not split: E1 has no date of production")]),
    ]
    assert [t.by_cause for t in found.totals] == [{"unmatched": -33}, {"unmatched": -67}]


def test_parameter_changes_leave_other_enterprises_caps_out() -> None:
    old = RuleSpec("w", "vat_local", Scope("all"), "window_cap", {"caps": {"E1": 1, "E2": 2}})
    new = RuleSpec("w", "vat_local", Scope("all"), "window_cap", {"caps": {"E1": 1, "E2": 3}})
    assert diff.rule_changes({"w"}, {"w"}, {"w": old}, {"w": new}, "E1") == []
    [change] = diff.rule_changes({"w"}, {"w"}, {"w": old}, {"w": new}, "E2")
    assert change["params"] == [["caps.E2", 2, 3]]
