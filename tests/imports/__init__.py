"""Tests of the all-or-nothing imports and the project export."""
