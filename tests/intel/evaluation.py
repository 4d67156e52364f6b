"""The labelled set's scoring lives in the package (parklink.intel.quality, shown on the
识别质量 page); the tests use it from here."""

from parklink.intel.quality import (
    ARTICLES,
    DATA,
    Score,
    evaluate,
    extract_file,
    labels,
    own_extractions,
    parse_amount,
    score_article,
    seed_extractions,
    similarity,
)

__all__ = [
    "ARTICLES",
    "DATA",
    "Score",
    "evaluate",
    "extract_file",
    "labels",
    "own_extractions",
    "parse_amount",
    "score_article",
    "seed_extractions",
    "similarity",
]
