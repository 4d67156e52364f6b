"""The synthetic registry: deterministic, valid codes, real places, truth recorded."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from bench.generate import COLUMNS, generate, main, records

from parklink.chains.catalog import shipped
from parklink.chains.industry_codes import exists
from parklink.enterprises.uscc import is_valid
from parklink.regions.table import COUNTY, build_rows


def test_the_same_seed_gives_the_same_registry() -> None:
    first, again, other = generate(500, 7), generate(500, 7), generate(500, 8)
    for key in COLUMNS:
        assert list(first[key]) == list(again[key]), key
    assert first["scope"] != other["scope"]


def test_codes_places_flags_and_truth_are_plausible() -> None:
    data = generate(3000, 1)
    counties = {row.adcode for row in build_rows() if row.level == COUNTY}
    assert all(is_valid(code) for code in data["uscc"])
    assert all(
        code[2:8] == adcode for code, adcode in zip(data["uscc"], data["adcode"], strict=True)
    )
    assert set(data["adcode"]) <= counties
    provinces = {code[:2] for code in data["adcode"]}
    assert len(provinces) >= 25
    counts = np.unique([code[:2] for code in data["adcode"]], return_counts=True)[1]
    assert counts.max() > 4 * np.median(counts)  # skewed, not uniform
    assert all(code == "" or exists(code) for code in data["industry_code"])
    assert 0.05 < sum(code == "" for code in data["industry_code"]) / 3000 < 0.25
    assert data["capital_fen"].dtype == np.int64 and (data["capital_fen"] > 0).all()
    assert not (data["chain_leader"] & (np.array(data["chain"]) == "")).any()
    chains = shipped()
    for chain, segment in zip(data["chain"], data["segment"], strict=True):
        if chain:
            chains[chain].segment(segment)
    share = sum(1 for chain in data["chain"] if chain) / 3000
    assert 0.1 < share < 0.2
    traditional = sum(1 for scope in data["scope"] if "項" in scope or "銷" in scope) / 3000
    assert 0.05 < traditional < 0.15
    assert any("一般项目：" in scope for scope in data["scope"])
    assert len(set(data["id"])) == 3000
    assert records(generate(3, 1))[0].keys() == set(COLUMNS)


def test_the_command_writes_a_csv(tmp_path: Path) -> None:
    target = tmp_path / "registry.csv"
    assert main(["50", "--seed", "3", "-o", str(target)]) == 0
    with target.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 50 and list(rows[0]) == list(COLUMNS)
    assert rows[0]["listed"] in {"0", "1"}
