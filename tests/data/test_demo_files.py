"""Consistency checks for the hand-written demo data set.

Pure pytest: no Django. Reads the YAML files under src/parklink/data/ and the
five source articles they quote (``../shared/seeds`` next to the repository,
or the directory named by the PARKLINK_SEEDS_DIR environment variable; see
tests/support/seeds.py for what happens when they are absent).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.support.seeds import require_seeds_dir, seed_texts

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "src" / "parklink" / "data"
DEMO_DIR = DATA_DIR / "demo"
GBT4754_FILE = DATA_DIR / "gbt4754.yaml"

DEMO_FILES = ("organizations", "parks", "linkages", "enterprises", "projects")

# --------------------------------------------------------------------------- choice codes

ORG_KINDS = {
    "government",
    "investment_bureau",
    "park_committee",
    "operating_company",
    "coordination_office",
    "other",
}
PARK_KINDS = {
    "national_etdz",
    "high_tech_zone",
    "provincial_zone",
    "cobuilt_park",
    "industrial_park",
    "innovation_enclave",
}
INDUSTRY_ROLES = {"representative", "foundational", "leading"}
RESOURCE_KINDS = {
    "sunshine_hours",
    "solar_days",
    "frost_free_days",
    "avg_temperature",
    "precipitation",
    "evaporation",
    "wind_potential",
    "solar_thermal_potential",
    "new_energy_potential",
    "installed_capacity",
    "annual_generation",
    "green_power",
    "water",
    "land",
    "other",
}
MONEY_INDICATORS = {"gdp", "tax", "output", "revenue"}
INDICATORS = MONEY_INDICATORS | {
    "gdp_share_of_city",
    "tax_share_of_city",
    "national_rank",
    "national_rank_total",
    "enterprises_settled",
    "resumption_rate",
}
INDICATOR_UNITS = {"%", "位", "家"}
LINKAGE_ROLES = {
    "rnd_incubation",
    "supporting_manufacturing",
    "local_landing",
    "headquarters_rnd",
    "manufacturing",
    "other",
}
SITE_ROLES = {"headquarters", "rnd", "manufacturing", "settlement", "other"}
ENTERPRISE_FLAGS = {"chain_leader", "listed", "high_tech", "above_scale", "specialised_sme"}
STAGES = (
    "lead",
    "negotiating",
    "signed",
    "approvals",
    "started",
    "under_construction",
    "completed",
    "in_production",
    "full_production",
)
TERMINAL_STAGES = {"stalled", "terminated"}
ALL_STAGES = set(STAGES) | TERMINAL_STAGES
# Legal moves along the main line (mirrors parklink.projects.lifecycle.ALLOWED, minus
# stalled/terminated): one step at a time, except that a lead may be signed straight
# away and a signed project may skip approvals when land and permits came with the deal.
NEXT_STAGES = {
    "lead": {"negotiating", "signed"},
    "negotiating": {"signed"},
    "signed": {"approvals", "started"},
    "approvals": {"started"},
    "started": {"under_construction"},
    "under_construction": {"completed"},
    "completed": {"in_production"},
    "in_production": {"full_production"},
    "full_production": set(),
}
CAPITAL_ORIGINS = {"in_province", "out_of_province", "foreign"}
MATURITIES = {"A", "B", "C"}
PROJECT_TAGS = {"aid", "key", "provincial_major", "demonstration", "listed_company"}
LEAD_SOURCES = {
    "liaison_office",
    "enclave",
    "business_referral",
    "news",
    "event",
    "online",
    "agency",
    "cobuilt_park",
    "other",
}
APPROVAL_KINDS = {"environmental", "safety", "fire", "land", "planning", "energy", "other"}
APPROVAL_STATUSES = {"in_preparation", "submitted", "approved"}

AMOUNT_RE = re.compile(r"^\d+(\.\d+)?(元|万元|亿元)$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ADCODE_RE = re.compile(r"^\d{6}$")
INDUSTRY_CODE_RE = re.compile(r"^\d{2,4}$")
SEED_NAME_RE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
MAX_QUOTE_CHARS = 160

PARK_AREA_FIELDS = (
    "planned_area_mu",
    "carrier_built_m2",
    "carrier_occupied_m2",
    "available_land_mu",
)
PROJECT_AMOUNT_FIELDS = (
    "total_investment",
    "phase_investment",
    "expected_annual_revenue",
    "expected_annual_tax",
)

# --------------------------------------------------------------------------- loaders


@cache
def load(name: str):
    path = DEMO_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def load_gbt4754():
    with GBT4754_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def cpca_adcodes() -> dict[str, str]:
    resource = importlib.resources.files("cpca.resources").joinpath("adcodes.csv")
    with resource.open(encoding="utf-8") as fh:
        return {row["adcode"][:6]: row["name"] for row in csv.DictReader(fh)}


def keys_of(name: str) -> set[str]:
    return {rec["key"] for rec in load(name)}


def all_records():
    for name in DEMO_FILES:
        for rec in load(name):
            yield name, rec


def parse_date(value, where: str) -> dt.date:
    assert isinstance(value, str), f"{where}: date must be a quoted ISO string, got {value!r}"
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # pragma: no cover - message only
        pytest.fail(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")


# --------------------------------------------------------------------------- parsing & basics


@pytest.mark.parametrize("name", DEMO_FILES)
def test_demo_file_parses_as_list_of_mappings(name):
    data = load(name)
    assert isinstance(data, list) and data, f"{name}.yaml must be a non-empty list"
    for rec in data:
        assert isinstance(rec, dict), f"{name}.yaml: every record must be a mapping"
        assert "key" in rec and "name" in rec, f"{name}.yaml: record without key/name: {rec}"


def test_readme_exists():
    assert (DEMO_DIR / "README.md").is_file()


@pytest.mark.parametrize("name", DEMO_FILES)
def test_keys_are_unique_ascii_slugs(name):
    seen = set()
    for rec in load(name):
        key = rec["key"]
        assert isinstance(key, str) and KEY_RE.match(key), f"{name}: bad key {key!r}"
        assert key not in seen, f"{name}: duplicate key {key!r}"
        seen.add(key)


# --------------------------------------------------------------------------- sources


def test_seeds_directory_exists():
    assert require_seeds_dir().is_dir()


@pytest.mark.parametrize("name", DEMO_FILES)
def test_every_record_has_verbatim_sources(name):
    texts = seed_texts()
    for rec in load(name):
        where = f"{name}:{rec['key']}"
        assert "source" not in rec, f"{where}: use the list form `sources:`"
        sources = rec.get("sources")
        assert isinstance(sources, list) and sources, f"{where}: needs a non-empty sources list"
        for src in sources:
            assert set(src) == {"file", "quote"}, f"{where}: source must have file and quote only"
            fname, quote = src["file"], src["quote"]
            assert SEED_NAME_RE.match(fname), f"{where}: bad seed file name {fname!r}"
            assert fname in texts, f"{where}: unknown seed file {fname!r}"
            assert isinstance(quote, str) and quote.strip(), f"{where}: empty quote"
            assert len(quote) <= MAX_QUOTE_CHARS, f"{where}: quote longer than {MAX_QUOTE_CHARS}"
            assert quote in texts[fname], f"{where}: quote is not verbatim in {fname}: {quote!r}"


def test_every_seed_file_is_used():
    used = {src["file"] for _, rec in all_records() for src in rec["sources"]}
    assert used == set(seed_texts()), f"unused seed files: {set(seed_texts()) - used}"


# --------------------------------------------------------------------------- regions


def test_regions_exist_in_cpca_table():
    adcodes = cpca_adcodes()
    checked = 0

    def check(region, region_name, where):
        nonlocal checked
        assert isinstance(region, str) and ADCODE_RE.match(region), (
            f"{where}: region must be a quoted 6-digit adcode, got {region!r}"
        )
        assert region in adcodes, f"{where}: adcode {region} not in cpca table"
        if region_name is not None:
            assert region_name == adcodes[region], (
                f"{where}: region_name {region_name!r} != cpca name {adcodes[region]!r}"
            )
        checked += 1

    for name, rec in all_records():
        where = f"{name}:{rec['key']}"
        if name == "linkages":
            assert "region" not in rec
            continue
        assert "region_name" in rec, f"{where}: region_name missing"
        check(rec["region"], rec["region_name"], where)
        for site in rec.get("sites", []) or []:
            check(site["region"], None, f"{where}:sites")
    assert checked > 0


# --------------------------------------------------------------------------- organisations


def test_organizations():
    for rec in load("organizations"):
        assert rec["kind"] in ORG_KINDS, f"organizations:{rec['key']}: kind {rec['kind']!r}"


# --------------------------------------------------------------------------- parks


def test_park_kinds_and_references():
    parks = {rec["key"]: rec for rec in load("parks")}
    orgs = keys_of("organizations")
    for key, rec in parks.items():
        where = f"parks:{key}"
        assert rec["kind"] in PARK_KINDS, f"{where}: kind {rec['kind']!r}"
        assert rec.get("owner") in orgs, f"{where}: missing or unknown owner {rec.get('owner')!r}"
        if "parent" in rec:
            assert rec["parent"] in parks and rec["parent"] != key, f"{where}: bad parent"
        assert isinstance(rec.get("description"), str) and rec["description"], where
        if "established" in rec:
            parse_date(rec["established"], f"{where}.established")


def test_park_parent_chains_are_acyclic():
    parks = {rec["key"]: rec for rec in load("parks")}
    for key in parks:
        seen = {key}
        cur = parks[key].get("parent")
        while cur is not None:
            assert cur not in seen, f"parks:{key}: parent cycle via {cur}"
            seen.add(cur)
            cur = parks[cur].get("parent")


def test_park_numbers_industries_resources_indicators():
    for rec in load("parks"):
        where = f"parks:{rec['key']}"
        for field in PARK_AREA_FIELDS:
            if field in rec:
                value = rec[field]
                assert isinstance(value, (int, float)) and not isinstance(value, bool), where
                assert value > 0, f"{where}.{field}"
        for ind in rec.get("industries", []) or []:
            assert set(ind) == {"name", "role"}, where
            assert ind["role"] in INDUSTRY_ROLES, f"{where}: industry role {ind['role']!r}"
        for res in rec.get("resources", []) or []:
            assert res["kind"] in RESOURCE_KINDS, f"{where}: resource kind {res['kind']!r}"
            assert isinstance(res["value"], (int, float)), where
            assert isinstance(res.get("unit"), str) and res["unit"], where
            if "value_max" in res:
                assert isinstance(res["value_max"], (int, float)), where
                assert res["value_max"] >= res["value"], f"{where}: value_max < value"
            assert set(res) <= {"kind", "value", "value_max", "unit", "note"}, where
        for ind in rec.get("indicators", []) or []:
            assert set(ind) <= {"year", "indicator", "value", "unit"}, where
            assert isinstance(ind["year"], int) and 1990 <= ind["year"] <= 2100, where
            assert ind["indicator"] in INDICATORS, f"{where}: indicator {ind['indicator']!r}"
            if ind["indicator"] in MONEY_INDICATORS:
                assert isinstance(ind["value"], str) and AMOUNT_RE.match(ind["value"]), (
                    f"{where}: money indicator needs an amount string, got {ind['value']!r}"
                )
                assert "unit" not in ind, where
            else:
                assert isinstance(ind["value"], (int, float)), where
                assert ind.get("unit") in INDICATOR_UNITS, f"{where}: unit {ind.get('unit')!r}"


def test_zhangye_2_plus_6():
    parks = {rec["key"]: rec for rec in load("parks")}
    zy = parks["zhangye_etdz"]
    assert zy["kind"] == "national_etdz"
    roles = [i["role"] for i in zy["industries"]]
    assert roles.count("representative") == 2 and roles.count("foundational") == 6


def test_gaode_one_zone_four_parks():
    parks = load("parks")
    children = {p["name"] for p in parks if p.get("parent") == "gaode"}
    assert children == {
        "成都未来科技城",
        "成都天府国际生物城",
        "成都高新区南部园区",
        "成都高新区西部园区",
    }


# --------------------------------------------------------------------------- linkages


def test_linkages():
    parks = keys_of("parks")
    for rec in load("linkages"):
        where = f"linkages:{rec['key']}"
        members = rec.get("members")
        assert isinstance(members, list) and members, where
        for m in members:
            assert set(m) == {"park", "role"}, where
            assert m["park"] in parks, f"{where}: unknown park {m['park']!r}"
            assert m["role"] in LINKAGE_ROLES, f"{where}: role {m['role']!r}"
        assert len({m["park"] for m in members}) == len(members), f"{where}: duplicate member"


# --------------------------------------------------------------------------- enterprises


def test_enterprises():
    parks = keys_of("parks")
    orgs = keys_of("organizations")
    divisions = {d["code"] for d in load_gbt4754()["divisions"]}
    names_per_region: set[tuple[str, str]] = set()
    for rec in load("enterprises"):
        where = f"enterprises:{rec['key']}"
        assert rec.get("owner") in orgs, f"{where}: missing or unknown owner {rec.get('owner')!r}"
        assert "uscc" in rec and rec["uscc"] is None, f"{where}: uscc must be null (never invented)"
        pair = (rec["region"], rec["name"])
        assert pair not in names_per_region, f"{where}: duplicate name in region"
        names_per_region.add(pair)
        if "industry_code" in rec:
            code = rec["industry_code"]
            assert isinstance(code, str) and INDUSTRY_CODE_RE.match(code), f"{where}: {code!r}"
            assert code[:2] in divisions, f"{where}: {code} not under a GB/T 4754 division"
        flags = rec.get("flags") or {}
        unknown_flags = set(flags) - ENTERPRISE_FLAGS
        assert not unknown_flags, f"{where}: unknown flags {unknown_flags}"
        assert all(v is True for v in flags.values()), f"{where}: flags are only written when true"
        if "registered_capital" in rec:
            assert AMOUNT_RE.match(rec["registered_capital"]), where
        for site in rec.get("sites", []) or []:
            assert set(site) <= {"role", "park", "region"} and "region" in site, where
            assert site["role"] in SITE_ROLES, f"{where}: site role {site['role']!r}"
            if "park" in site:
                assert site["park"] in parks, f"{where}: unknown site park {site['park']!r}"


# --------------------------------------------------------------------------- projects


def test_project_references_and_codes():
    orgs, parks, ents = keys_of("organizations"), keys_of("parks"), keys_of("enterprises")
    divisions = {d["code"] for d in load_gbt4754()["divisions"]}
    for rec in load("projects"):
        where = f"projects:{rec['key']}"
        assert rec["owner"] in orgs, f"{where}: unknown owner {rec['owner']!r}"
        if "park" in rec:
            assert rec["park"] in parks, f"{where}: unknown park {rec['park']!r}"
        if "investor" in rec:
            assert rec["investor"] in ents, f"{where}: unknown investor {rec['investor']!r}"
        assert rec["stage"] in ALL_STAGES, f"{where}: stage {rec['stage']!r}"
        assert rec["maturity"] in MATURITIES, f"{where}: maturity {rec['maturity']!r}"
        if "capital_origin" in rec:
            assert rec["capital_origin"] in CAPITAL_ORIGINS, f"{where}: {rec['capital_origin']!r}"
        tags = rec.get("tags", [])
        assert isinstance(tags, list) and set(tags) <= PROJECT_TAGS, f"{where}: tags {tags!r}"
        if "lead_source" in rec:
            assert rec["lead_source"] in LEAD_SOURCES, f"{where}: {rec['lead_source']!r}"
        if "industry_code" in rec:
            code = rec["industry_code"]
            assert isinstance(code, str) and INDUSTRY_CODE_RE.match(code), where
            assert code[:2] in divisions, where
        if "jobs" in rec:
            assert isinstance(rec["jobs"], int) and rec["jobs"] > 0, where
        if "confidential" in rec:
            assert isinstance(rec["confidential"], bool), where
        for field in ("land_area_mu", "floor_area_m2"):
            if field in rec:
                assert isinstance(rec[field], (int, float)) and rec[field] > 0, f"{where}.{field}"
        for appr in rec.get("approvals", []) or []:
            assert set(appr) <= {"kind", "status", "date", "due_date", "note"}, where
            assert appr["kind"] in APPROVAL_KINDS, f"{where}: approval kind {appr['kind']!r}"
            assert appr["status"] in APPROVAL_STATUSES, f"{where}: status {appr['status']!r}"
            if "date" in appr:
                parse_date(appr["date"], f"{where}.approvals")


def test_project_amounts():
    for rec in load("projects"):
        for field in PROJECT_AMOUNT_FIELDS:
            if field in rec:
                value = rec[field]
                assert isinstance(value, str) and AMOUNT_RE.match(value), (
                    f"projects:{rec['key']}.{field}: {value!r} does not match {AMOUNT_RE.pattern}"
                )


def test_project_history_is_legal_and_chronological():
    for rec in load("projects"):
        where = f"projects:{rec['key']}"
        stage_date = parse_date(rec["stage_date"], f"{where}.stage_date")
        history = rec.get("history", []) or []
        assert all(set(h) == {"stage", "date"} for h in history), f"{where}: history step keys"
        steps = [(h["stage"], parse_date(h["date"], f"{where}.history")) for h in history]
        steps.append((rec["stage"], stage_date))
        prev_stage, prev_date = None, None
        for stage, date in steps:
            assert stage in ALL_STAGES, f"{where}: history stage {stage!r}"
            if prev_date is not None:
                assert date >= prev_date, f"{where}: history is not chronological"
            if prev_stage is not None and stage not in TERMINAL_STAGES:
                assert prev_stage not in TERMINAL_STAGES, f"{where}: step after {prev_stage}"
                assert stage in NEXT_STAGES[prev_stage], (
                    f"{where}: illegal step {prev_stage} -> {stage}"
                )
            prev_stage, prev_date = stage, date


def test_project_milestones():
    for rec in load("projects"):
        for ms in rec.get("milestones", []) or []:
            where = f"projects:{rec['key']}.milestones"
            assert isinstance(ms.get("name"), str) and ms["name"], where
            assert "due_date" in ms, f"{where}: a milestone needs a due_date"
            parse_date(ms["due_date"], where)


def test_project_maturity_rule():
    """A: signed or later with a stated figure; B: signed or later without; C: lead/negotiating."""
    figures = ("total_investment", "expected_annual_revenue", "expected_annual_tax")
    for rec in load("projects"):
        stage = rec["stage"]
        if stage in {"lead", "negotiating"}:
            expected = "C"
        elif stage in TERMINAL_STAGES:
            continue
        else:
            expected = "A" if any(f in rec for f in figures) else "B"
        assert rec["maturity"] == expected, f"projects:{rec['key']}: maturity should be {expected}"


def test_dege_aid_projects():
    aid = [p for p in load("projects") if "aid" in p.get("tags", [])]
    assert len(aid) == 6
    assert all(p["stage"] == "signed" and p["stage_date"] == "2025-03-21" for p in aid)


# --------------------------------------------------------------------------- GB/T 4754-2017


def test_gbt4754_sections():
    data = load_gbt4754()
    codes = [s["code"] for s in data["sections"]]
    assert codes == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    for s in data["sections"]:
        assert s["name"] and s["name_en"], s


def test_gbt4754_divisions():
    data = load_gbt4754()
    sections = {s["code"] for s in data["sections"]}
    codes = [d["code"] for d in data["divisions"]]
    assert len(codes) == 97 and len(set(codes)) == 97
    assert all(isinstance(c, str) and re.fullmatch(r"\d{2}", c) for c in codes)
    assert sorted(codes) == [f"{i:02d}" for i in range(1, 98)]
    for d in data["divisions"]:
        assert d["section"] in sections, d
        assert d["name"] and d["name_en"], d
    # Every section has at least one division, and divisions are contiguous per section.
    order = [d["section"] for d in sorted(data["divisions"], key=lambda d: d["code"])]
    assert order == sorted(order)
    assert set(order) == sections
