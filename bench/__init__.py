"""Benchmarks: how the cost of the hot paths grows with data size (run with `make bench`)."""
