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


def test_phase_shares_read_each_kind_in_a_phase() -> None:
    stepped = RuleSpec("s", "vat_local", Scope("all"), "stepped", {
        "anchor": "production",
        "steps": [{"years": [1, 3], "shares": {"a": "70%", "b": "30%"}},
                  {"years": [4, None], "shares": {"a": "1/2", "b": "1/2"}}],
        "before": {"b": "1"},
    })  # fmt: skip
    assert diff.phase_shares(stepped, "year-2") == {"a": Fraction(7, 10), "b": Fraction(3, 10)}
    assert diff.phase_shares(stepped, "year-9") == {"a": Fraction(1, 2), "b": Fraction(1, 2)}
    assert diff.phase_shares(stepped, "before") == {"b": 1}
    window = RuleSpec("w", "vat_local", Scope("all"), "window_cap", {
        "shares": {"a": "1/2", "b": "1/2"}, "after": {"b": "1"},
    })  # fmt: skip
    assert diff.phase_shares(window, "extension") == {"a": Fraction(1, 2), "b": Fraction(1, 2)}
    assert diff.phase_shares(window, "after-window") == {"b": 1}
    tiered = RuleSpec("t", "vat_local", Scope("all"), "tiered", {
        "tiers": [{"upto": 100, "shares": {"a": "1/2", "b": "1/2"}},
                  {"upto": None, "shares": {"a": "30%", "b": "70%"}}],
    })  # fmt: skip
    assert diff.phase_shares(tiered, "tier-2") == {"a": Fraction(3, 10), "b": Fraction(7, 10)}
    assert diff.phase_shares(tiered, "tier-3") is None
    assert diff.phase_shares(RULE, "ratio") == {"a": Fraction(1, 3), "b": Fraction(2, 3)}
    equity = RuleSpec("e", "vat_local", Scope("all"), "equity_share", {"equity": []})
    assert diff.phase_shares(equity, "equity-2024-07-01") is None


def _stepped(later: str) -> RuleSpec:
    rest = str(1 - Fraction(later))
    return RuleSpec("s", "vat_local", Scope("all"), "stepped", {
        "anchor": "production",
        "steps": [{"years": [1, 3], "shares": {"a": "70%", "b": "30%"}},
                  {"years": [4, None], "shares": {"a": later, "b": rest}}],
    })  # fmt: skip


def _step_part(record: str, party: str, amount: int, step: str, share: str) -> diff.Part:
    return diff.Part(
        record, "E1", "vat_local", party, amount, "s", step, Fraction(share), 1000, int(step[5:])
    )


def test_an_amendment_that_replaces_the_rule_keeps_the_step_folded_into_it() -> None:
    """Version 2 drops rule "s" for a new rule "r": the earlier rules cannot be read in the
    new phase, so the amendment carries the change and the step says so."""
    before = diff.Side(
        "2024Q2", 1,
        [_step_part("1", "a", 700, "year-3", "7/10"), _step_part("1", "b", 300, "year-3", "3/10")],
        [diff.Figure("1", "E1", "vat_local", 1000)], {"s": _stepped("1/2")},
    )  # fmt: skip
    replaced = diff.Part("2", "E1", "vat_local", "a", 400, "r", "year-4", Fraction(2, 5), 1000, 4)
    other = diff.Part("2", "E1", "vat_local", "b", 600, "r", "year-4", Fraction(3, 5), 1000, 4)
    after = diff.Side(
        "2024Q3", 2, [replaced, other], [diff.Figure("2", "E1", "vat_local", 1000)],
        {"r": _stepped("2/5")},
    )  # fmt: skip
    found = diff.reconcile(before, after)
    line = next(x for x in found.lines if x.party == "a")
    assert [(c.kind, c.amount) for c in line.causes] == [("amendment", -300), ("step", 0)]
    assert line.causes[1].zh.endswith("(其影响无法与协议修订分开,已计入协议修订)")
