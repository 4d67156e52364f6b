"""The matching app's scoring core: pure Python and numpy, no Django.

`tokens` (jieba words), `text` (bm25s relevance), `adjacency` (chain edges between segments),
`proximity` (regions by hierarchy, metro area and distance), `rank` (one combined score with
its reasons over column arrays) and `eligibility` (policy conditions in JSON Logic, evaluated
per enterprise and vectorised over enterprise columns). docs/matching.md explains the weights.
"""
