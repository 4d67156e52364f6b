"""The registry of rule kinds: `KINDS[code]` is the kind, `register(kind)` adds one.

A new kind is one module in this package whose class implements `base.RuleKind` and which
calls `register(TheKind())`, plus its name in `BUILTIN` below: `split` and the validation
never name a kind.
"""

from __future__ import annotations

import importlib

from parklink.cobuild.ledger.kinds.base import RuleKind

KINDS: dict[str, RuleKind] = {}

BUILTIN = (
    "fixed_ratio",
    "equity_share",
    "stepped",
    "stock_increment",
    "window_cap",
    "fixed_payment",
    "tiered",
)


def register(kind: RuleKind) -> RuleKind:
    if kind.code in KINDS and type(KINDS[kind.code]) is not type(kind):
        raise ValueError(f"rule kind {kind.code!r} is already registered")
    KINDS[kind.code] = kind
    return kind


for _module in BUILTIN:
    importlib.import_module(f"{__name__}.{_module}")
