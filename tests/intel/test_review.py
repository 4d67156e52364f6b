"""Reviewing the queue: duplicates, accept (new lead or update), merge, reject, the record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parklink.core.errors import Conflict, Forbidden, Invalid
from parklink.core.sources import sources_of
from parklink.intel.models import Decision, Item
from parklink.intel.services import accept, edit_item, ingest_text, merge, reject
from parklink.projects.models import Project, StageTransition
from tests.intel.conftest import ARTICLE, World

pytestmark = pytest.mark.django_db
YI = Decimal(100_000_000)


def _items(world: World) -> dict[str, Item]:
    document = ingest_text(world.users["zhangye"], ARTICLE).document
    found = {item.name: item for item in document.items.all()}
    return {
        "storage": next(i for n, i in found.items() if "储能电池" in n),
        "silicon17": next(i for n, i in found.items() if "17万吨" in n),
    }


def test_a_project_already_in_the_library_is_an_update_suggestion(world: World) -> None:
    items = _items(world)
    silicon = items["silicon17"]
    assert silicon.match_id == world.projects["silicon"].pk
    assert silicon.suggestions[0]["kind"] == "project"
    assert silicon.suggestions[0]["id"] == world.projects["silicon"].pk
    assert "名称相同" in silicon.suggestions[0]["reasons"]
    assert items["storage"].match_id is None


def test_the_same_project_in_a_second_article_is_suggested_as_a_duplicate(world: World) -> None:
    first = _items(world)["storage"]
    second_text = (
        "甘州区储能产业再添新项目\n2025年4月2日\n"
        "张掖晨光储能公司的储能电池组装项目近日完成签约,投资约3亿元。\n"
    )
    document = ingest_text(world.users["zhangye"], second_text).document
    twin = document.items.get(name__contains="储能电池组装")
    assert any(s["kind"] == "item" and s["id"] == first.pk for s in twin.suggestions)


def test_accepting_a_new_item_creates_a_cited_lead_of_the_reviewers_organisation(
    world: World,
) -> None:
    reviewer = world.users["zhangye"]
    storage = _items(world)["storage"]
    sector_before = storage.data["sector"]
    storage = edit_item(reviewer, storage, {"adcode": "620702", "sector": "新型储能"}, "补充地点")
    project = accept(reviewer, storage, reason="核实无误")
    assert project.owner_id == reviewer.organization_id
    assert project.name == storage.data["name"]
    assert project.region_id == "620702"
    assert project.total_investment == 3 * YI
    assert project.total_investment_qualifier == "about"
    assert project.total_investment_text == "约3亿元"
    assert project.stage == "signed"
    assert project.lead_source == "news"
    quotes = [s.quote for s in sources_of(project)]
    assert any("投资约3亿元" in q for q in quotes)
    assert all(s.document == storage.document.title for s in sources_of(project))
    storage.refresh_from_db()
    assert (storage.status, storage.project_id) == ("accepted", project.pk)
    actions = list(
        Decision.objects.filter(item=storage).order_by("pk").values_list("action", "actor")
    )
    assert actions == [("edit", reviewer.pk), ("accept", reviewer.pk)]
    edit = Decision.objects.get(item=storage, action="edit")
    assert (edit.before["sector"], edit.after["sector"]) == (sector_before, "新型储能")
    assert edit.reason == "补充地点"
    # decided once: a second decision is refused
    with pytest.raises(Conflict):
        reject(reviewer, storage, "重复")


def test_accepting_an_update_advances_the_stage_through_the_lifecycle_and_cites(
    world: World,
) -> None:
    reviewer = world.users["zhangye"]
    silicon = _items(world)["silicon17"]
    silicon = edit_item(reviewer, silicon, {"stage": "started", "stage_date": "2025-03-21"})
    project = accept(reviewer, silicon)
    assert project.pk == world.projects["silicon"].pk
    project.refresh_from_db()
    assert project.stage == "started"
    assert project.stage_since == date(2025, 3, 21)
    step = StageTransition.objects.filter(project=project).order_by("-pk").first()
    assert step is not None and (step.from_stage, step.to_stage) == ("signed", "started")
    assert step.actor == reviewer and "据招商情报" in step.note
    assert any("开工建设" in s.quote for s in sources_of(project))
    decision = Decision.objects.get(item=silicon, action="update")
    assert decision.before["stage"] == "signed" and decision.after["stage"] == "started"
    assert Project.objects.count() == 1  # no new lead


def test_an_update_walks_several_stages_and_adds_a_missing_figure(world: World) -> None:
    reviewer = world.users["zhangye"]
    silicon = _items(world)["silicon17"]
    silicon = edit_item(
        reviewer,
        silicon,
        {
            "stage": "in_production",
            "stage_date": "2025-03-21",
            "amount": "1000000000",
            "qualifier": "at_least",
            "kind": "total_investment",
        },
    )
    project = accept(reviewer, silicon)
    project.refresh_from_db()
    assert project.stage == "in_production"
    moves = list(
        StageTransition.objects.filter(project=project)
        .order_by("pk")
        .values_list("to_stage", flat=True)
    )
    assert moves[0] == "signed" and moves[-1] == "in_production" and len(moves) >= 3
    assert project.total_investment_text == "超10亿元"


def test_an_article_never_moves_a_project_back(world: World) -> None:
    reviewer = world.users["zhangye"]
    silicon = _items(world)["silicon17"]
    silicon = edit_item(reviewer, silicon, {"stage": "lead"})
    project = accept(reviewer, silicon)
    project.refresh_from_db()
    assert project.stage == "signed"


def test_accept_new_creates_a_lead_even_when_it_matches(world: World) -> None:
    reviewer = world.users["zhangye"]
    silicon = _items(world)["silicon17"]
    silicon = edit_item(reviewer, silicon, {"adcode": "620702", "name": "黑河水电二期硅材料项目"})
    project = accept(reviewer, silicon, new=True)
    assert project.pk != world.projects["silicon"].pk
    assert Project.objects.count() == 2


def test_merge_into_an_item_or_a_project_and_reject_with_a_reason(world: World) -> None:
    reviewer = world.users["zhangye"]
    items = _items(world)
    storage, silicon = items["storage"], items["silicon17"]
    merged = merge(
        reviewer, silicon, into_project_id=world.projects["silicon"].pk, reason="同一项目"
    )
    assert merged.status == "merged" and merged.project_id == world.projects["silicon"].pk
    assert any("开工建设" in s.quote for s in sources_of(world.projects["silicon"]))
    with pytest.raises(Invalid) as refused:
        reject(reviewer, storage, "  ")
    assert "reason" in refused.value.detail
    rejected = reject(reviewer, storage, "侧栏新闻,非本地项目")
    assert rejected.status == "rejected"
    decision = Decision.objects.get(item=storage)
    assert (decision.action, decision.reason) == ("reject", "侧栏新闻,非本地项目")
    # both merge targets at once, or neither, is refused
    other = ingest_text(
        reviewer, "示例园区签约\n2025年5月1日\n甲乙科技有限公司投资2亿元的传感器项目签约。\n"
    ).document.items.first()
    assert other is not None
    with pytest.raises(Invalid):
        merge(reviewer, other)


def test_merge_into_an_accepted_item_cites_its_project(world: World) -> None:
    reviewer = world.users["zhangye"]
    first = _items(world)["storage"]
    first = edit_item(reviewer, first, {"adcode": "620702"})
    project = accept(reviewer, first)
    second = ingest_text(
        reviewer,
        "储能项目落地\n2025年4月2日\n张掖晨光储能科技有限公司储能电池组装项目签约,总投资3亿元。\n",
    ).document.items.get(name__contains="储能电池")
    merge(reviewer, second, into_item_id=first.pk)
    second.refresh_from_db()
    assert (second.status, second.merged_into_id, second.project_id) == (
        "merged",
        first.pk,
        project.pk,
    )
    assert any("总投资3亿元" in s.quote for s in sources_of(project))


def test_bad_fields_are_refused_by_name(world: World) -> None:
    reviewer = world.users["zhangye"]
    storage = _items(world)["storage"]
    with pytest.raises(Invalid) as refused:
        edit_item(
            reviewer,
            storage,
            {
                "name": "",
                "amount": "三亿",
                "qualifier": "roughly",
                "adcode": "999999",
                "stage": "x",
            },
        )
    assert set(refused.value.detail) >= {"name", "amount", "qualifier", "adcode", "stage"}
    storage.refresh_from_db()
    assert storage.data["amount"] == "300000000"
    assert not Decision.objects.filter(item=storage).exists()


def test_a_lead_needs_a_place(world: World) -> None:
    reviewer = world.users["zhangye"]
    storage = _items(world)["storage"]
    storage = edit_item(reviewer, storage, {"adcode": "", "place": "", "park": ""})
    with pytest.raises(Invalid) as refused:
        accept(reviewer, storage)
    assert "adcode" in refused.value.detail
    storage.refresh_from_db()
    assert (
        storage.status == "pending"
        and not Project.objects.exclude(pk=world.projects["silicon"].pk).exists()
    )


def test_another_organisation_and_a_viewer_cannot_decide(world: World) -> None:
    storage = _items(world)["storage"]
    for outsider in ("jinniu", "jinniu_viewer", "city"):
        with pytest.raises(Forbidden):
            reject(world.users[outsider], storage, "不是我们的")
        with pytest.raises(Forbidden):
            accept(world.users[outsider], storage)
    storage.refresh_from_db()
    assert storage.status == "pending"


def test_a_stalled_project_is_not_moved_by_an_article(world: World) -> None:
    reviewer = world.users["zhangye"]
    silicon = _items(world)["silicon17"]
    project = world.projects["silicon"]
    from parklink.projects import services as project_services

    project_services.transition(reviewer, project, "stalled", on=date(2025, 1, 5), note="资金")
    silicon = edit_item(reviewer, silicon, {"stage": "started"})
    project.refresh_from_db()
    # a stalled project is not on the line: the article's stage does not move it
    accepted = accept(reviewer, silicon)
    accepted.refresh_from_db()
    assert accepted.stage == "stalled"


def test_a_project_of_a_county_below_is_suggested_but_not_updated(world: World) -> None:
    """The city sees 张掖's signed project; its own queue lists it, but does not update it."""
    from parklink.accounts.models import Organization
    from parklink.regions.models import Region
    from tests.support import factories

    city = Organization.objects.create(
        name="张掖市投资促进局",
        kind="investment_bureau",
        region=Region.objects.get(adcode="620700"),
    )
    officer = factories.user("zhangye_city_officer", city)
    document = ingest_text(officer, ARTICLE).document
    silicon = document.items.get(name__contains="17万吨")
    assert any(s["id"] == world.projects["silicon"].pk for s in silicon.suggestions)
    assert silicon.match_id is None
    with pytest.raises(Forbidden):
        merge(officer, silicon, into_project_id=world.projects["silicon"].pk)


def test_the_enterprise_is_found_in_the_registry_by_its_short_name(world: World) -> None:
    reviewer = world.users["zhangye"]
    silicon = _items(world)["silicon17"]
    # The article writes the registry's 简称 黑河水电; the item names the registered enterprise.
    assert "甘肃黑河水电实业投资有限责任公司" not in ARTICLE
    assert silicon.data["enterprise"] == "甘肃黑河水电实业投资有限责任公司"
    assert silicon.data["enterprise_id"] == world.enterprise.pk
    project = accept(
        reviewer,
        silicon,
        new=True,
        data={"name": "黑河水电硅材料二期", "adcode": "620702"},
    )
    assert project.investor_id == world.enterprise.pk
