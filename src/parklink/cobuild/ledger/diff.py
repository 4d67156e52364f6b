"""Reconciliation of two runs: per (enterprise, indicator, party) the totals of each and every
difference explained by cause, exact to the fen (no Django).

The runs are `Side`s: the allocations (`Part`), the figures they read (`Figure`), the rules of
their version (`RuleSpec` by key) and the figures no rule split. `reconcile(before, after)`
matches the allocations by (enterprise, indicator, party) and splits each difference into
causes whose amounts add up exactly to it:

- `new_enterprise`: the enterprise has no allocation before (not reported, or not split);
- `unmatched`: the figure is reported but no rule split it on one side (the engine's reason);
- `records`: the figures changed (amounts before → after, the batch that replaced which): what
  the party would have got at its share before of the figures after, less what it got;
- `cap`: a cap cut the capped party's part (and gave the excess to the others): the change in
  what the caps took or gave;
- `amendment`: another agreement version whose rules for the figure differ (kind, scope,
  parameters): what is left once figures and caps are accounted for;
- `step`: the step, window or tier changed (第3年 → 第4年, 窗口内 → 延长期, 窗口结束): the same,
  when no amendment applies.

When an amendment and a step change touch the same figure (an amendment that takes effect on
the anniversary a stepped rule moves to its next step), the two are told apart through the
earlier version's rule read in the later phase (`phase_shares`): the step change is what the
earlier rules would have changed on their own (their share in the new phase, less their share
in the old one, on the figures after), the amendment what the new rules change on top of that.
Where the earlier rule cannot be read in the later phase from its parameters alone (it was
removed or replaced, or its kind has no fixed share per phase: equity, stock and increment,
fixed payments), the whole change stays with the amendment and the step change says so.

With neither an amendment nor a step change, what is left (rounding of the share) stays with
`records`, so the causes always add up to `after − before` exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from parklink.cobuild.ledger.explain import WORDS, format_amount
from parklink.cobuild.ledger.kinds.base import fmt_percent, parse_share
from parklink.cobuild.ledger.types import Problem, RuleSpec

NEW_ENTERPRISE = "new_enterprise"
UNMATCHED = "unmatched"
RECORDS = "records"
CAP = "cap"
AMENDMENT = "amendment"
STEP = "step"
CAUSE_ORDER = (NEW_ENTERPRISE, UNMATCHED, RECORDS, CAP, AMENDMENT, STEP)
CAUSES: dict[str, tuple[str, str]] = {
    NEW_ENTERPRISE: ("新纳入企业", "enterprise newly covered"),
    UNMATCHED: ("未能分账", "not split"),
    RECORDS: ("数据变化", "figures changed"),
    CAP: ("达到上限", "cap reached"),
    AMENDMENT: ("协议修订", "agreement amended"),
    STEP: ("阶段变化", "step or window changed"),
}
OVER_CAP = "over-cap"
WINDOW_PHASES = frozenset({"window", "extension"})


@dataclass(frozen=True)
class Part:
    """One allocation of a run: a party's part of one figure."""

    record: str
    enterprise: str
    indicator: str
    party: str
    amount: int
    rule: str
    step: str
    share: Fraction | None = None
    basis: int = 0  # the amount the share was applied to
    year: int | None = None
    cap: int | None = None
    cap_used: int | None = None
    cap_left: int | None = None


@dataclass(frozen=True)
class Figure:
    """One figure a run read."""

    record: str
    enterprise: str
    indicator: str
    amount: int
    batch: str = ""
    replaced_by: str | None = None  # the batch that replaced it, if any


@dataclass(frozen=True)
class Side:
    """One run as the reconciliation reads it."""

    label: str  # the period
    version: int
    parts: Sequence[Part]
    figures: Sequence[Figure]
    rules: Mapping[str, RuleSpec]
    unmatched: Mapping[str, Problem] = field(default_factory=dict)  # by record


@dataclass
class Cause:
    kind: str
    amount: int
    details: list[dict[str, Any]] = field(default_factory=list)
    zh: str = ""
    en: str = ""

    def label(self, lang: str) -> str:
        return CAUSES[self.kind][0 if lang == "zh" else 1]

    def as_json(self) -> dict[str, Any]:
        return {
            "cause": self.kind,
            "label_zh": CAUSES[self.kind][0],
            "label_en": CAUSES[self.kind][1],
            "amount": self.amount,
            "zh": self.zh,
            "en": self.en,
            "details": self.details,
        }


@dataclass
class Line:
    """One (enterprise, indicator, party): before, after and the causes of the difference."""

    enterprise: str
    indicator: str
    party: str
    before: int
    after: int
    causes: list[Cause]

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass
class Total:
    """One (indicator, party): before, after, and the difference per cause."""

    indicator: str
    party: str
    before: int = 0
    after: int = 0
    by_cause: dict[str, int] = field(default_factory=dict)

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass
class Reconciliation:
    before: Side
    after: Side
    lines: list[Line]
    totals: list[Total]
    recorded: dict[str, tuple[int, int]]  # per indicator: the figures read before and after


# ---------------------------------------------------------------- texts


def _amount(value: int, indicator: str, lang: str) -> str:
    return format_amount(value, indicator, lang)


def phase_text(step: str, year: int | None, lang: str) -> str:
    """ "第3年", "窗口内(第2年)", "延长期内", "窗口期满后", "第1档" in `lang`."""
    zh = lang == "zh"
    if step.startswith("year-"):
        number = step[len("year-") :]
        return f"第{number}年" if zh else f"year {number}"
    if step.startswith("tier-"):
        number = step[len("tier-") :]
        return f"第{number}档" if zh else f"tier {number}"
    if step.startswith("equity-"):
        day = step[len("equity-") :]
        return f"{day} 起的股比" if zh else f"equity from {day}"
    if step == "before":
        return "起算日之前" if zh else "before the anchor date"
    if step == "ratio":
        return "固定比例" if zh else "fixed ratio"
    word = WORDS.get(step, (step, step))[0 if zh else 1]
    if year is not None and step in WINDOW_PHASES:
        return f"{word}(第{year}年)" if zh else f"{word} (year {year})"
    return word


def _phases_text(phases: Sequence[tuple[str, int | None]], lang: str) -> str:
    if not phases:
        return "—"
    return ("、" if lang == "zh" else ", ").join(phase_text(s, y, lang) for s, y in phases)


def _value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------- rule differences


def param_changes(before: Any, after: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """The leaves of two parameter documents that differ: (path, before, after)."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        changes: list[tuple[str, Any, Any]] = []
        for key in sorted(set(before) | set(after), key=str):
            where = f"{path}.{key}" if path else str(key)
            changes += param_changes(before.get(key), after.get(key), where)
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        changes = []
        for index, (one, other) in enumerate(zip(before, after, strict=True)):
            changes += param_changes(one, other, f"{path}[{index}]")
        return changes
    return [] if before == after else [(path, before, after)]


def _scope_doc(rule: RuleSpec) -> dict[str, Any]:
    return {
        "kind": rule.scope.kind,
        "party": rule.scope.party,
        "enterprises": sorted(rule.scope.enterprises),
    }


def rule_changes(
    keys_before: Iterable[str],
    keys_after: Iterable[str],
    rules_before: Mapping[str, RuleSpec],
    rules_after: Mapping[str, RuleSpec],
    enterprise: str,
) -> list[dict[str, Any]]:
    """How the rules that split one enterprise's figure differ between two versions.

    Each change: {"rule", "change": "added" | "removed" | "changed", "kind": [before, after],
    "params": [[path, before, after], ...]}; the caps of other enterprises are left out.
    """
    changes: list[dict[str, Any]] = []
    for key in sorted(set(keys_before) | set(keys_after)):
        old, new = rules_before.get(key), rules_after.get(key)
        used_before, used_after = key in set(keys_before), key in set(keys_after)
        if used_after and not used_before:
            changes.append(
                {
                    "rule": key,
                    "change": "added" if old is None else "applies",
                    "kind": [old.kind if old else None, new.kind if new else None],
                    "params": [],
                }
            )
            continue
        if used_before and not used_after:
            changes.append(
                {
                    "rule": key,
                    "change": "removed" if new is None else "no_longer_applies",
                    "kind": [old.kind if old else None, new.kind if new else None],
                    "params": [],
                }
            )
            continue
        if old is None or new is None:
            continue
        params = [
            [p, b, a]
            for p, b, a in param_changes(dict(old.params), dict(new.params))
            if not (p.startswith("caps.") and p != f"caps.{enterprise}")
        ]
        scope = _scope_doc(old) != _scope_doc(new)
        if old.kind != new.kind or params or scope:
            changes.append(
                {
                    "rule": key,
                    "change": "changed",
                    "kind": [old.kind, new.kind],
                    "params": params,
                    "scope": [_scope_doc(old), _scope_doc(new)] if scope else None,
                }
            )
    return changes


def _rule_change_text(change: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    key = change["rule"]
    kind_before, kind_after = change["kind"]
    what = change["change"]
    if what == "added":
        return f"新增规则 {key}({kind_after})" if zh else f"rule {key} added ({kind_after})"
    if what == "applies":
        return f"改按规则 {key}({kind_after})" if zh else f"now under rule {key} ({kind_after})"
    if what == "removed":
        return f"删除规则 {key}" if zh else f"rule {key} removed"
    if what == "no_longer_applies":
        return f"不再按规则 {key}" if zh else f"no longer under rule {key}"
    pieces = []
    if kind_before != kind_after:
        pieces.append(
            f"类型 {kind_before} → {kind_after}" if zh else f"kind {kind_before} → {kind_after}"
        )
    for path, old, new in change["params"]:
        pieces.append(f"{path}: {_value_text(old)} → {_value_text(new)}")
    if change.get("scope"):
        pieces.append("适用范围改变" if zh else "scope changed")
    joined = ";".join(pieces) if zh else "; ".join(pieces)
    return f"规则 {key}:{joined}" if zh else f"rule {key}: {joined}"


def phase_shares(rule: RuleSpec, step: str) -> dict[str, Fraction] | None:
    """The shares `rule` gives in the phase `step` ("ratio", "year-4", "before", "window",
    "extension", "after-window", "tier-2"), read from its parameters alone; None when the
    phase does not exist in the rule or its kind has no fixed shares per phase."""
    params = rule.params

    def table(document: Any) -> dict[str, Fraction] | None:
        if not isinstance(document, Mapping):
            return None
        shares = {str(key): parse_share(value) for key, value in document.items()}
        if any(share is None for share in shares.values()):
            return None
        return {key: share for key, share in shares.items() if share is not None}

    if rule.kind == "fixed_ratio" and step == "ratio":
        return table(params.get("shares"))
    if rule.kind in ("stepped", "window_cap") and step == "before":
        return table(params.get("before"))
    if rule.kind == "stepped" and step.startswith("year-"):
        year = int(step[len("year-") :])
        for entry in params.get("steps") or []:
            first, last = entry["years"]
            if first <= year and (last is None or year <= last):
                return table(entry.get("shares"))
        return None
    if rule.kind == "window_cap" and step in WINDOW_PHASES:
        return table(params.get("shares"))
    if rule.kind == "window_cap" and step == "after-window":
        return table(params.get("after"))
    if rule.kind == "tiered" and step.startswith("tier-"):
        tiers = params.get("tiers") or []
        index = int(step[len("tier-") :]) - 1
        return table(tiers[index].get("shares")) if 0 <= index < len(tiers) else None
    return None


# ---------------------------------------------------------------- the reconciliation


def _nominal(part: Part) -> int:
    """The part without what a cap took (capped) or gave (over-cap)."""
    if part.step == OVER_CAP:
        return 0
    if part.cap_left is not None and part.share is not None:
        return round(part.share * part.basis)
    return part.amount


def _phases(parts: Iterable[Part]) -> list[tuple[str, int | None]]:
    found = {(p.step, p.year) for p in parts if p.step != OVER_CAP}
    return sorted(found, key=lambda item: (item[0], item[1] if item[1] is not None else -1))


def _cap_reached(parts: Iterable[Part]) -> list[Part]:
    return [p for p in parts if p.cap_left == 0]


@dataclass
class _Group:
    parts: list[Part] = field(default_factory=list)

    @property
    def amount(self) -> int:
        return sum(p.amount for p in self.parts)

    @property
    def nominal(self) -> int:
        return sum(_nominal(p) for p in self.parts)


def _index(
    side: Side,
) -> tuple[
    dict[tuple[str, str, str], _Group],
    dict[tuple[str, str], list[Part]],
    dict[tuple[str, str], list[Figure]],
    set[str],
]:
    groups: dict[tuple[str, str, str], _Group] = {}
    by_figure: dict[tuple[str, str], list[Part]] = {}
    for part in side.parts:
        groups.setdefault((part.enterprise, part.indicator, part.party), _Group()).parts.append(
            part
        )
        by_figure.setdefault((part.enterprise, part.indicator), []).append(part)
    figures: dict[tuple[str, str], list[Figure]] = {}
    for figure in side.figures:
        figures.setdefault((figure.enterprise, figure.indicator), []).append(figure)
    return groups, by_figure, figures, {p.enterprise for p in side.parts}


def _split_total(parts: Sequence[Part], figures: Sequence[Figure]) -> int:
    """The total of the figures the parts came from (the figures that were split)."""
    split = {p.record for p in parts}
    return sum(f.amount for f in figures if f.record in split)


def record_changes(
    before: Sequence[Figure], after: Sequence[Figure], same_period: bool
) -> list[dict[str, Any]]:
    """The figures of one (enterprise, indicator) before and after, paired.

    In one period a figure replaced by a batch is paired with that batch's figure ("changed");
    the others are "added" or "removed". Across periods the figures are paired in order.
    """
    kept = {f.record for f in before} & {f.record for f in after}
    old = [f for f in before if f.record not in kept]
    new = [f for f in after if f.record not in kept]
    changes: list[dict[str, Any]] = []
    if same_period:
        for figure in old:
            match = next(
                (n for n in new if figure.replaced_by and n.batch == figure.replaced_by), None
            )
            if match is not None:
                new.remove(match)
                changes.append(_change("changed", figure, match))
            else:
                changes.append(_change("removed", figure, None))
        changes += [_change("added", None, figure) for figure in new]
        return changes
    for index in range(max(len(old), len(new))):
        one = old[index] if index < len(old) else None
        other = new[index] if index < len(new) else None
        if one is not None and other is not None and one.amount == other.amount:
            continue
        kind = "changed" if one and other else ("removed" if one else "added")
        changes.append(_change(kind, one, other))
    return changes


def _change(kind: str, old: Figure | None, new: Figure | None) -> dict[str, Any]:
    return {
        "change": kind,
        "record_before": int(old.record) if old and old.record.isdigit() else None,
        "record_after": int(new.record) if new and new.record.isdigit() else None,
        "before": old.amount if old else None,
        "after": new.amount if new else None,
        "batch_before": old.batch if old else None,
        "batch_after": new.batch if new else None,
    }


def _record_text(change: dict[str, Any], indicator: str, lang: str) -> str:
    zh = lang == "zh"
    before = "—" if change["before"] is None else _amount(change["before"], indicator, lang)
    after = "—" if change["after"] is None else _amount(change["after"], indicator, lang)
    if change["change"] == "added":
        text = f"新增数据 {after}" if zh else f"figure added: {after}"
    elif change["change"] == "removed":
        text = f"数据不再报送 {before}" if zh else f"figure no longer reported: {before}"
    else:
        text = f"{before} → {after}"
    if (
        change["batch_before"]
        and change["batch_after"]
        and change["batch_before"] != change["batch_after"]
    ):
        text += (
            f"(批次 #{change['batch_after']} 替换 #{change['batch_before']})"
            if zh
            else f" (batch #{change['batch_after']} replaced #{change['batch_before']})"
        )
    return text


def reconcile(before: Side, after: Side) -> Reconciliation:
    """Every (enterprise, indicator, party) of either run with its causes (see the module)."""
    same_period = before.label == after.label
    groups_b, parts_b, figures_b, enterprises_b = _index(before)
    groups_a, parts_a, figures_a, _ = _index(after)
    reasons_b = {k: v for k, v in before.unmatched.items()}
    reasons_a = {k: v for k, v in after.unmatched.items()}
    lines: list[Line] = []
    for key in sorted(set(groups_b) | set(groups_a)):
        enterprise, indicator, party = key
        figure_key = (enterprise, indicator)
        old = groups_b.get(key, _Group())
        new = groups_a.get(key, _Group())
        ctx = _Context(
            enterprise,
            indicator,
            before,
            after,
            old,
            new,
            parts_b.get(figure_key, []),
            parts_a.get(figure_key, []),
            figures_b.get(figure_key, []),
            figures_a.get(figure_key, []),
            same_period,
            enterprise in enterprises_b,
            reasons_b,
            reasons_a,
        )
        causes = ctx.causes()
        assert sum(c.amount for c in causes) == new.amount - old.amount
        if new.amount == old.amount and not any(c.amount for c in causes):
            continue
        lines.append(Line(enterprise, indicator, party, old.amount, new.amount, causes))
    totals: dict[tuple[str, str], Total] = {}
    for part in before.parts:
        total = totals.setdefault((part.indicator, part.party), Total(part.indicator, part.party))
        total.before += part.amount
    for part in after.parts:
        total = totals.setdefault((part.indicator, part.party), Total(part.indicator, part.party))
        total.after += part.amount
    for line in lines:
        total = totals[(line.indicator, line.party)]
        for cause in line.causes:
            total.by_cause[cause.kind] = total.by_cause.get(cause.kind, 0) + cause.amount
    recorded: dict[str, tuple[int, int]] = {}
    for figure in before.figures:
        one, other = recorded.get(figure.indicator, (0, 0))
        recorded[figure.indicator] = (one + figure.amount, other)
    for figure in after.figures:
        one, other = recorded.get(figure.indicator, (0, 0))
        recorded[figure.indicator] = (one, other + figure.amount)
    ordered = sorted(totals.values(), key=lambda t: (t.indicator, t.party))
    return Reconciliation(before, after, lines, ordered, recorded)


@dataclass
class _Context:
    enterprise: str
    indicator: str
    before: Side
    after: Side
    old: _Group
    new: _Group
    figure_parts_before: list[Part]
    figure_parts_after: list[Part]
    figures_before: list[Figure]
    figures_after: list[Figure]
    same_period: bool
    known_before: bool  # the enterprise has allocations in the earlier run
    reasons_before: Mapping[str, Problem]
    reasons_after: Mapping[str, Problem]

    def cause(
        self, kind: str, amount: int, details: list[dict[str, Any]], zh: str, en: str
    ) -> Cause:
        return Cause(kind, amount, details, zh, en)

    def _unmatched(
        self, figures: Sequence[Figure], reasons: Mapping[str, Problem]
    ) -> list[Problem]:
        return [reasons[f.record] for f in figures if f.record in reasons]

    def causes(self) -> list[Cause]:
        total = self.new.amount - self.old.amount
        if not self.figure_parts_before and self.figure_parts_after:
            problems = self._unmatched(self.figures_before, self.reasons_before)
            if not self.known_before:
                detail = (
                    {"reason_zh": problems[0].zh, "reason_en": problems[0].en} if problems else {}
                )
                zh = "此前未分账" + (f":{problems[0].zh}" if problems else "")
                en = "not split before" + (f": {problems[0].en}" if problems else "")
                return [self.cause(NEW_ENTERPRISE, total, [detail] if detail else [], zh, en)]
            if problems:
                return [self._unmatched_cause(total, problems, before=True)]
            return [self._records_cause(total)]
        if self.figure_parts_before and not self.figure_parts_after:
            problems = self._unmatched(self.figures_after, self.reasons_after)
            if problems:
                return [self._unmatched_cause(total, problems, before=False)]
            return [self._records_cause(total)]
        # Both sides split the figure: figures, caps, then the terms.
        split_before = _split_total(self.figure_parts_before, self.figures_before)
        split_after = _split_total(self.figure_parts_after, self.figures_after)
        cap_effect = (self.new.amount - self.new.nominal) - (self.old.amount - self.old.nominal)
        if split_before:
            at_old_share = round(Fraction(self.old.nominal * split_after, split_before))
        else:
            at_old_share = self.old.nominal
        records_effect = at_old_share - self.old.nominal
        terms_effect = self.new.nominal - at_old_share
        causes: list[Cause] = []
        amendment = self._amendment()
        phases_before = _phases(self.figure_parts_before)
        phases_after = _phases(self.figure_parts_after)
        step = phases_before != phases_after
        if not amendment and not step:
            records_effect += terms_effect
            terms_effect = 0
        changes = record_changes(self.figures_before, self.figures_after, self.same_period)
        if records_effect or changes:
            causes.append(self._records_cause(records_effect, changes))
        reached = _cap_reached(self.figure_parts_after)
        if cap_effect or (reached and not _cap_reached(self.figure_parts_before)):
            causes.append(self._cap_cause(cap_effect, reached))
        if amendment and step:
            mid = self._earlier_rules_in_new_phases()
            if mid is None:
                causes.append(self._amendment_cause(terms_effect, amendment))
                causes.append(self._step_cause(0, phases_before, phases_after, folded=True))
            else:
                step_effect = mid - at_old_share
                causes.append(self._amendment_cause(terms_effect - step_effect, amendment))
                causes.append(self._step_cause(step_effect, phases_before, phases_after))
        elif amendment:
            causes.append(self._amendment_cause(terms_effect, amendment))
        elif step:
            causes.append(self._step_cause(terms_effect, phases_before, phases_after))
        return causes

    def _records_cause(self, amount: int, changes: list[dict[str, Any]] | None = None) -> Cause:
        if changes is None:
            changes = record_changes(self.figures_before, self.figures_after, self.same_period)
        ind = self.indicator
        zh = ";".join(_record_text(c, ind, "zh") for c in changes)
        en = "; ".join(_record_text(c, ind, "en") for c in changes)
        if not self.same_period:
            label_b, label_a = self.before.label, self.after.label
            total_b = sum(f.amount for f in self.figures_before)
            total_a = sum(f.amount for f in self.figures_after)
            zh = (
                f"{label_b} {_amount(total_b, ind, 'zh')} → {label_a} {_amount(total_a, ind, 'zh')}"
            )
            en = (
                f"{label_b} {_amount(total_b, ind, 'en')} → {label_a} {_amount(total_a, ind, 'en')}"
            )
        return self.cause(RECORDS, amount, changes, zh, en)

    def _unmatched_cause(self, amount: int, problems: list[Problem], *, before: bool) -> Cause:
        problem = problems[0]
        if before:
            zh, en = f"此前未能分账:{problem.zh}", f"not split before: {problem.en}"
        else:
            zh, en = f"未能分账:{problem.zh}", f"not split: {problem.en}"
        detail = {
            "side": "before" if before else "after",
            "reason_zh": problem.zh,
            "reason_en": problem.en,
        }
        return self.cause(UNMATCHED, amount, [detail], zh, en)

    def _cap_cause(self, amount: int, reached: list[Part]) -> Cause:
        ind = self.indicator
        details = [
            {
                "rule": p.rule,
                "capped_party": p.party,
                "cap": p.cap,
                "cap_used": p.cap_used,
                "cap_left": p.cap_left,
            }
            for p in reached
        ]
        if reached:
            first = reached[0]
            cap_zh = _amount(first.cap or 0, ind, "zh")
            cap_en = _amount(first.cap or 0, ind, "en")
            zh = f"规则 {first.rule} 的上限 {cap_zh} 已用满(剩余 0),超出部分按期满后比例分配"
            en = (
                f"the cap of rule {first.rule}, {cap_en}, is reached (nothing left); "
                "the excess is split as after the window"
            )
        else:
            zh = "上限扣减的数额变化"
            en = "what the cap took changed"
        return self.cause(CAP, amount, details, zh, en)

    def _amendment(self) -> list[dict[str, Any]]:
        keys_before = {p.rule for p in self.figure_parts_before}
        keys_after = {p.rule for p in self.figure_parts_after}
        if self.before.version == self.after.version and keys_before == keys_after:
            return []
        return rule_changes(
            keys_before, keys_after, self.before.rules, self.after.rules, self.enterprise
        )

    def _amendment_cause(self, amount: int, changes: list[dict[str, Any]]) -> Cause:
        b, a = self.before.version, self.after.version
        head_zh = f"协议第{b}版 → 第{a}版" if b != a else f"协议第{a}版"
        head_en = f"agreement v{b} → v{a}" if b != a else f"agreement v{a}"
        zh = head_zh + ":" + ";".join(_rule_change_text(c, "zh") for c in changes)
        en = head_en + ": " + "; ".join(_rule_change_text(c, "en") for c in changes)
        details = [{"version_before": b, "version_after": a, "rules": changes}]
        return self.cause(AMENDMENT, amount, details, zh, en)

    def _earlier_rules_in_new_phases(self) -> int | None:
        """What this party's parts after would be under the earlier version's rules in the
        later phases (the nominal amounts, without caps), or None when a part's rule cannot
        be read that way."""
        total = 0
        for part in self.new.parts:
            if part.step == OVER_CAP:
                continue
            rule = self.before.rules.get(part.rule)
            if rule is None or part.share is None:
                return None
            shares = phase_shares(rule, part.step)
            if shares is None or part.party not in shares:
                return None
            total += round(shares[part.party] * part.basis)
        return total

    def _step_cause(
        self,
        amount: int,
        phases_before: list[tuple[str, int | None]],
        phases_after: list[tuple[str, int | None]],
        *,
        folded: bool = False,
    ) -> Cause:
        zh = f"{_phases_text(phases_before, 'zh')} → {_phases_text(phases_after, 'zh')}"
        en = f"{_phases_text(phases_before, 'en')} → {_phases_text(phases_after, 'en')}"
        steps_before = {s for s, _ in phases_before}
        steps_after = {s for s, _ in phases_after}
        if steps_before & WINDOW_PHASES and "after-window" in steps_after:
            zh += "(窗口结束)"
            en += " (the window ended)"
        if folded:
            zh += "(其影响无法与协议修订分开,已计入协议修订)"
            en += " (its effect cannot be told apart from the amendment's and is counted there)"
        elif amount and self.before.version != self.after.version:
            zh += "(按修订前的规则计算)"
            en += " (under the rules before the amendment)"
        shares = sorted(
            {
                fmt_percent(p.share)
                for p in self.new.parts
                if p.share is not None and p.step != OVER_CAP
            }
        )
        details = [
            {
                "before": [[s, y] for s, y in phases_before],
                "after": [[s, y] for s, y in phases_after],
                "shares_after": shares,
            }
        ]
        return self.cause(STEP, amount, details, zh, en)
