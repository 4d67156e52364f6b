"""Assessments: stored with what they used, ranked, replayed after the scheme changes; CLI."""

from __future__ import annotations

import json
from decimal import Decimal as D
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from parklink.core.errors import Forbidden, Invalid
from parklink.kpi.engine import periods
from parklink.kpi.models import Assessment, SchemeVersion
from parklink.kpi.queries import visible_assessments, visible_schemes, visible_targets
from parklink.kpi.services import assess, schemes, targets
from tests.kpi.support import YI, World

Q1 = periods.parse("2025Q1")


def _city_targets(world: World) -> None:
    for key in ("jinniu", "qingbaijiang"):
        org = world.orgs[key]
        targets.set_target(world.city, org, "2025Q1", "signed_count", 4)
        targets.set_target(world.city, org, "2025Q1", "signed_amount", 20 * YI)
        targets.set_target(world.city, org, "2025Q1", "band_10_20", 1)


def test_assess_ranks_stores_and_replays_after_a_scheme_change(world: World) -> None:
    schemes.load_shipped()
    _city_targets(world)
    shipped = schemes.get_version(visible_schemes(world.city), "city-districts")
    # A shipped scheme is not the city's to change: it saves its own copy under its own key.
    with pytest.raises(Forbidden):
        schemes.save_scheme(world.city, shipped.text)
    document = json.loads(json.dumps(shipped.document))
    document["key"] = "chengdu-districts"
    version = schemes.save_scheme(world.city, yaml.safe_dump(document, allow_unicode=True))
    assert (version.version, version.owner) == (1, world.orgs["city"])
    saved = assess.assess(world.city, version, Q1)
    by_name = {a.organization.name: a for a in saved}
    jinniu = by_name[world.orgs["jinniu"].name]
    # 金牛区: 2 of 4 signed → 7.5; 17亿 of 20亿 → 12.75; one 10–20亿 of 1 → 15; one overdue → −0.1.
    assert jinniu.total == D("35.15")
    assert jinniu.rank == 1 and jinniu.assessor == world.orgs["city"]
    qbj = by_name[world.orgs["qingbaijiang"].name]
    # 青白江区: 1 of 4 → 3.75; 2亿 of 20亿 → 1.5.
    assert qbj.total == D("5.25")
    assert (qbj.rank, qbj.standing) == (2, "red")  # ranked by shares: 2 of 2 is past 70%
    assert assess.replay(jinniu).total == jinniu.total
    # The scheme changes (signing counts double): a new version; the old assessment replays
    # exactly from its stored figures and its own version.
    document["items"][0]["weight"] = 30
    changed = schemes.save_scheme(world.city, yaml.safe_dump(document, allow_unicode=True))
    assert changed.version == 2
    # Saving the same document again makes no new version.
    assert schemes.save_scheme(world.city, yaml.safe_dump(document, allow_unicode=True)) == changed
    jinniu.refresh_from_db()
    assert assess.replay(jinniu).total == D("35.15")
    again = {a.organization_id: a for a in assess.assess(world.city, changed, Q1)}
    assert again[world.orgs["jinniu"].pk].total == D("42.65")
    assert Assessment.objects.filter(scheme=version).count() == 2


def test_saving_a_bad_scheme_lists_its_problems(world: World) -> None:
    text = (
        "key: mine\nname: 我的方案\nitems:\n"
        "  - {key: a, type: formula, formula: {'/': [1, {var: signed_count}]}}\n"
    )
    with pytest.raises(Invalid) as caught:
        schemes.save_scheme(world.city, text)
    assert "除数可能为零" in caught.value.detail["text"][0]
    with pytest.raises(Invalid):
        schemes.save_scheme(world.city, "key: [unclosed")
    assert not SchemeVersion.objects.filter(key="mine").exists()


def test_who_may_set_targets_and_see_assessments(world: World) -> None:
    schemes.load_shipped()
    with pytest.raises(Forbidden):
        targets.set_target(world.jinniu, world.orgs["qingbaijiang"], "2025Q1", "signed_count", 3)
    with pytest.raises(Forbidden):
        targets.set_target(world.outsider, world.orgs["jinniu"], "2025Q1", "signed_count", 3)
    with pytest.raises(Invalid):
        targets.set_target(world.city, world.orgs["jinniu"], "2025Q5", "signed_count", 3)
    with pytest.raises(Invalid):
        targets.set_target(world.city, world.orgs["jinniu"], "2025Q1", "landing_rate", 85)
    version = schemes.get_version(visible_schemes(world.city), "chenzhou-hitech")
    assess.assess(world.city, version, Q1)
    assert visible_assessments(world.jinniu).count() == 1  # its own, not its neighbour's
    assert visible_assessments(world.outsider).count() == 0
    targets.set_target(world.city, world.orgs["jinniu"], "2025Q1", "signed_count", 3)
    assert visible_targets(world.outsider).count() == 0
    assert visible_targets(world.qingbaijiang).count() == 0
    assert visible_targets(world.jinniu).count() == visible_targets(world.city).count() == 1
    assert visible_assessments(world.city).count() == 2
    with pytest.raises(Invalid):
        assess.assess(world.jinniu, version, Q1, [world.orgs["qingbaijiang"]])


def test_command_assesses_and_prints_the_derivation(world: World) -> None:
    _city_targets(world)
    out = StringIO()
    call_command(
        "kpi",
        "assess",
        "--scheme",
        "city-districts",
        "--period",
        "2025Q1",
        "--as",
        "city",
        stdout=out,
    )
    text = out.getvalue()
    assert "市对区县招商引资考核(示例)" in text and "(示例方案)" in text
    assert "35.15" in text and "完成率 2 ÷ 4 = 0.5000" in text
    out = StringIO()
    call_command(
        "kpi",
        "assess",
        "--scheme",
        "county-introduced",
        "--period",
        "2025Q1",
        "--org",
        world.orgs["jinniu"].name,
        "--as",
        "jinniu",
        "--format",
        "json",
        "--dry-run",
        stdout=out,
    )
    payload = json.loads(out.getvalue())
    assert payload["organizations"][0]["name"] == world.orgs["jinniu"].name
    with pytest.raises(CommandError, match="2025Q1"):
        call_command(
            "kpi", "assess", "--scheme", "city-districts", "--period", "Q1", "--as", "city"
        )
    with pytest.raises(CommandError, match="不存在"):
        call_command("kpi", "assess", "--scheme", "nope", "--period", "2025Q1", "--as", "city")
