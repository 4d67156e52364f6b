"""Shared building blocks: base models, money, errors, text normalisation, sources."""
