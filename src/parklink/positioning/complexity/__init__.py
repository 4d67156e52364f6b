"""Economic complexity on plain arrays (numpy + scipy, no Django).

`compute(values, ...)` takes one place × product matrix; `table.slices(...)` turns a long table
(time, loc, prod, val) into one matrix per time, duplicates summed. `conventions` holds the two
named presets (`pyecomplexity`, `stata`) and the flags they set. See docs/positioning.md.
"""

from parklink.positioning.complexity.conventions import (
    CONVENTIONS,
    PYECOMPLEXITY,
    STATA,
    Convention,
    convention,
)
from parklink.positioning.complexity.engine import ComplexityResult, Diagnostic, compute

__all__ = [
    "CONVENTIONS",
    "PYECOMPLEXITY",
    "STATA",
    "ComplexityResult",
    "Convention",
    "Diagnostic",
    "compute",
    "convention",
]
