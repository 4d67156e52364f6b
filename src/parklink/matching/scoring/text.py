"""Text relevance: BM25 (bm25s, sparse matrices) over jieba tokens."""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from parklink.matching.scoring.tokens import tokenize


class TextIndex:
    """A BM25 index of documents given as token lists; scores for every document at once."""

    def __init__(self, documents: Sequence[Sequence[str]]):
        self.size = len(documents)
        self._bm25 = bm25s.BM25(method="lucene")
        # an empty corpus cannot be indexed; a single blank token keeps shapes right
        corpus = [list(doc) if doc else [""] for doc in documents] or [[""]]
        self._bm25.index(corpus, show_progress=False)

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> TextIndex:
        return cls([tokenize(text) for text in texts])

    def scores(self, query: Sequence[str] | str) -> np.ndarray:
        """BM25 score of every document (0 where no query word occurs), float32."""
        words = tokenize(query) if isinstance(query, str) else list(query)
        if not words or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(words), dtype=np.float32)[: self.size]

    @staticmethod
    def matched_words(query: Sequence[str], document: Sequence[str]) -> list[str]:
        """The query's words that the document contains (for the reasons shown)."""
        present = set(document)
        seen: list[str] = []
        for word in query:
            if word in present and word not in seen:
                seen.append(word)
        return seen
