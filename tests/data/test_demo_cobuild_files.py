"""The demo's co-built park agreements (cobuild.yaml) and their figures (cobuild_records.yaml).

Pure pytest, no Django: every quote is verbatim in its seed article, every reference is a key
of the other demo files, and every illustrative part (rules, enterprise facts, figures) is
flagged and never carries an article's citation as if it were a fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.data.test_demo_files import MAX_QUOTE_CHARS, keys_of, load
from tests.support.seeds import seed_texts

NOTICE = "示例数据 / illustrative"
AMOUNT_RE = re.compile(r"^-?\d+(\.\d{1,2})?(元|万元)$")
PERIOD_RE = re.compile(r"^\d{4}(Q[1-4]|-\d{2})?$")


def sources_in(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every source mapping anywhere in the file, with where it is."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "sources":
                for index, src in enumerate(item):
                    yield f"{path}.sources[{index}]", src
            else:
                yield from sources_in(item, f"{path}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from sources_in(item, f"{path}[{index}]")


def agreements() -> list[dict[str, Any]]:
    return list(load("cobuild"))


def test_each_agreement_cites_its_facts() -> None:
    for rec in agreements():
        assert rec["sources"], rec["key"]
        assert set(rec) == {"key", "sources", "agreement"}


def test_quotes_are_verbatim() -> None:
    texts = seed_texts()
    found = list(sources_in(load("cobuild")))
    assert len(found) >= 15
    for where, src in found:
        assert set(src) == {"file", "quote"}, where
        assert len(src["quote"]) <= MAX_QUOTE_CHARS, where
        assert src["quote"] in texts[src["file"]], f"{where}: not verbatim: {src['quote']!r}"


def test_references_are_demo_keys() -> None:
    orgs, parks, firms = keys_of("organizations"), keys_of("parks"), keys_of("enterprises")
    for rec in agreements():
        doc = rec["agreement"]
        assert doc["owner"] in orgs
        assert {p["organization"] for p in doc["parties"]} <= orgs
        assert set(doc["parks"]) <= parks
        for company in doc.get("companies") or []:
            assert company["enterprise"] in firms
        for covered in doc.get("enterprises") or []:
            assert covered["enterprise"] in firms


def test_rules_and_enterprise_facts_are_flagged_illustrative() -> None:
    for rec in agreements():
        doc = rec["agreement"]
        for version in doc["versions"]:
            assert NOTICE in version["note"] or "示例" in version["note"]
            for rule in version["rules"]:
                assert rule["illustrative"] is True, rule["key"]
                assert rule["note"].startswith(NOTICE), rule["key"]
                assert "sources" not in rule, f"{rule['key']}: an illustrative rule cites nothing"
        for covered in doc.get("enterprises") or []:
            assert covered["illustrative"] is True, covered["enterprise"]


def test_no_invented_cooperation_fields_for_jinshi() -> None:
    jinshi = next(rec for rec in agreements() if rec["key"] == "jinshi")["agreement"]
    assert not jinshi.get("cooperation_fields")  # the article counts 11 and names none


@pytest.mark.parametrize(
    "rec", load("cobuild_records"), ids=lambda r: f"{r['agreement']}-{r['period']}"
)
def test_records_refer_to_agreements_parties_and_enterprises(rec: dict[str, Any]) -> None:
    by_key = {a["key"]: a["agreement"] for a in agreements()}
    assert rec["agreement"] in by_key
    doc = by_key[rec["agreement"]]
    assert rec["party"] in {p["key"] for p in doc["parties"]}
    assert PERIOD_RE.match(str(rec["period"]))
    assert rec["run"] in {"confirm", "draft", "none"}
    covered = {c["enterprise"] for c in doc.get("enterprises") or []}
    for item in rec["figures"]:
        assert item["enterprise"] in covered
        assert AMOUNT_RE.match(item["amount"]), item
        assert "sources" not in item


def test_exactly_one_period_is_confirmed() -> None:
    assert [r["run"] for r in load("cobuild_records")].count("confirm") == 1
