"""The co-built park ledger engine: sharing rules applied to records, exact to the fen.

Plain Python (fractions, numpy), no Django: `split.split` is the entry point, `types` the
contract with the Django side, `kinds` the registered rule kinds, `rounding` the rounding rule,
`explain` the sentence of each allocation. docs/cobuild.md describes the rules and examples.
"""
