"""Assessing departments, task forces, persons and liaison offices, and department pages.

The world (tests/kpi/support.py): 金牛区 has 新材料产业园 (alpha, 5亿, signed 2025-01),
外资整车项目 (beta, 12亿, signed 2025-03), a 30亿 lead, a late-entered 25亿 signing (突击上报)
and a 2024 signing never started; 青白江区 one 2亿 signing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from parklink.accounts.models import User
from parklink.core import imports
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.kpi.engine import periods
from parklink.kpi.imports import TargetImporter
from parklink.kpi.models import (
    Assessment,
    Department,
    LiaisonOffice,
    OfficeKind,
    SubjectKind,
    Target,
)
from parklink.kpi.queries import visible_schemes
from parklink.kpi.services import actuals, departments, liaison, schemes, subjects, targets
from parklink.kpi.services import assess as assessing
from parklink.projects.models import Project
from tests.kpi.support import YI, World
from tests.support import factories

Q1 = periods.parse("2025Q1")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _departments(world: World) -> tuple[object, object, User]:
    """招商一局 (a member leads alpha and the lead) and 招商二局 (beta linked explicitly)."""
    jinniu = world.orgs["jinniu"]
    member = factories.user("jinniu-leader", jinniu)
    first = departments.save_department(world.jinniu, None, name="招商一局")
    second = departments.save_department(world.jinniu, None, name="招商二局")
    departments.set_members(world.jinniu, first, [member])
    Project.objects.filter(
        pk__in=[world.projects["alpha"].pk, world.projects["lead"].pk, world.projects["beta"].pk]
    ).update(leader_user=member)
    # beta is led by the same member but linked explicitly to 招商二局: the link wins.
    departments.link_project(world.jinniu, second, world.projects["beta"])
    Project.objects.filter(pk=world.projects["alpha"].pk).update(
        total_investment_qualifier="at_least"
    )
    return first, second, member


def test_department_figures_follow_links_and_membership_signed_only(world: World) -> None:
    first, second, _member = _departments(world)
    found = actuals.figures(world.city, actuals.by_departments([first.pk, second.pk]), Q1)
    # 招商一局: alpha only (the 30亿 lead led by its member never counts).
    assert found[first.pk]["signed_count"] == 1
    assert found[first.pk]["signed_amount"] == 5 * YI
    assert found[first.pk]["funds_total"] == D("12000000.00")
    assert found[first.pk]["funds_unevidenced"] == D("3000000.00")
    # 招商二局: beta, by its explicit link.
    assert found[second.pk]["signed_count"] == 1 and found[second.pk]["signed_amount"] == 12 * YI
    # The sum including alpha's 超5亿 is itself a lower bound.
    words = actuals.qualifiers(world.city, actuals.by_departments([first.pk, second.pk]), Q1)
    assert words == {first.pk: {"signed_amount": "at_least"}}
    # Another organisation's user sees none of it.
    hidden = actuals.figures(world.outsider, actuals.by_departments([first.pk]), Q1)
    assert hidden[first.pk]["signed_count"] == 0


def test_assessing_departments_ranks_stores_and_replays(world: World) -> None:
    first, second, _member = _departments(world)
    schemes.load_shipped()
    version = schemes.get_version(visible_schemes(world.city), "city-districts")
    for dept in (first, second):
        departments.set_department_target(world.jinniu, dept, "2025Q1", "signed_count", 2)
        departments.set_department_target(world.jinniu, dept, "2025Q1", "signed_amount", 10 * YI)
    chosen = subjects.subjects_of(world.city, SubjectKind.DEPARTMENT, world.orgs["jinniu"])
    assert [s.name for s in chosen] == ["招商一局", "招商二局"]
    saved = assessing.assess(world.city, version, Q1, chosen)
    by_name = {a.subject_name: a for a in saved}
    # 招商二局: 1 of 2 → 7.5; 12亿 of 10亿 capped → 15; one 10–20亿 project, no target → 0.
    assert by_name["招商二局"].total == D("22.50")
    # 招商一局: 1 of 2 → 7.5; 5亿 of 10亿 → 7.5.
    assert by_name["招商一局"].total == D("15.00")
    assert (by_name["招商二局"].rank, by_name["招商一局"].rank) == (1, 2)
    one = by_name["招商一局"]
    assert one.subject_kind == "department" and one.subject_key == str(first.pk)
    assert one.figures["__qualifiers__"] == {"signed_amount": "at_least"}
    assert assessing.replay(one).total == one.total
    # Assessing again replaces the department rows, and leaves organisation rows alone.
    assessing.assess(world.city, version, Q1)
    assessing.assess(world.city, version, Q1, chosen)
    assert Assessment.objects.filter(subject_kind="department").count() == 2
    assert Assessment.objects.filter(subject_kind="organization").count() == 2
    one = Assessment.objects.get(subject_kind="department", subject_key=str(first.pk))
    # The organisations' view of the same period is unchanged by the departments'.
    page = login(world.city).get(
        f"/kpi/?scheme=city-districts&period=2025Q1&subject=department&org={world.orgs['jinniu'].pk}"
    )
    text = page.content.decode()
    assert page.status_code == 200 and "招商一局" in text and "已保存的考核结果" in text
    detail = login(world.city).get(f"/kpi/assessments/{one.pk}/").content.decode()
    assert "招商一局" in detail and "超5亿元" in detail
    link = (
        f"/kpi/orgs/{world.orgs['jinniu'].pk}/figures/signed_count/?period=2025Q1"
        f"&scheme=city-districts&version={version.version}&subject=department&key={first.pk}"
    )
    assert link in detail.replace("&amp;", "&")
    behind = login(world.city).get(link).content.decode()
    assert world.projects["alpha"].name in behind
    assert world.projects["beta"].name not in behind
    # An outsider cannot assess them nor open their figures.
    with pytest.raises(Invalid):
        subjects.subjects_of(world.outsider, SubjectKind.DEPARTMENT, world.orgs["jinniu"])
    assert login(world.outsider).get(link).status_code == 404
    assert login(world.qingbaijiang).get(f"/kpi/assessments/{one.pk}/").status_code == 404


def test_task_forces_persons_and_offices_are_scored_too(world: World) -> None:
    member = factories.user("jinniu-person", world.orgs["jinniu"])
    Project.objects.filter(pk=world.projects["alpha"].pk).update(
        task_force="新材料专班", leader_user=member
    )
    Project.objects.filter(pk=world.projects["lead"].pk).update(
        task_force="新材料专班", leader_user=member
    )
    Project.objects.filter(pk=world.projects["beta"].pk).update(task_force="整车专班")
    office = LiaisonOffice.objects.create(
        organization=world.orgs["jinniu"], kind=OfficeKind.CITY_OFFICE, name="驻上海联络点"
    )
    liaison.link_project(world.jinniu, world.projects["beta"], office)
    liaison.link_project(world.jinniu, world.projects["lead"], office)
    schemes.load_shipped()
    version = schemes.get_version(visible_schemes(world.city), "city-districts")
    targets.set_target(
        world.jinniu,
        world.orgs["jinniu"],
        "2025Q1",
        "signed_count",
        1,
        subject_kind=SubjectKind.TASK_FORCE,
        task_force="新材料专班",
    )
    forces = subjects.subjects_of(world.jinniu, SubjectKind.TASK_FORCE)
    assert [s.name for s in forces] == ["整车专班", "新材料专班"]
    scored = {s.subject.name: s for s in assessing.compute(world.jinniu, version, Q1, forces)}
    assert scored["新材料专班"].figures["signed_count"] == 1  # the lead does not count
    assert scored["新材料专班"].targets == {"signed_count": D(1)}
    assert scored["新材料专班"].result.items[0].points == D("15.00")  # 1 of 1, full marks
    assert scored["整车专班"].figures["signed_amount"] == 12 * YI
    people = subjects.subjects_of(world.jinniu, SubjectKind.PERSON)
    assert [s.key for s in people] == [member.pk]
    person = assessing.compute(world.jinniu, version, Q1, people)[0]
    assert person.figures["signed_count"] == 1 and person.figures["signed_amount"] == 5 * YI
    offices = subjects.subjects_of(world.jinniu, SubjectKind.OFFICE)
    stored = assessing.assess(world.jinniu, version, Q1, offices)
    assert [a.subject_name for a in stored] == ["驻上海联络点"]
    assert stored[0].figures["signed_count"] == "1"  # beta; the lead it brought never counts
    # The city reads the county's offices' signed projects only, like the county itself.
    city_view = assessing.compute(
        world.city, version, Q1, subjects.subjects_of(world.city, "office", world.orgs["jinniu"])
    )
    assert city_view[0].figures["signed_count"] == 1
    with pytest.raises(Invalid):
        subjects.subjects_of(world.qingbaijiang, SubjectKind.PERSON, world.orgs["jinniu"])


def test_command_assesses_a_subject_kind(world: World) -> None:
    _departments(world)
    out = StringIO()
    call_command(
        "kpi",
        "assess",
        "--scheme",
        "city-districts",
        "--period",
        "2025Q1",
        "--org",
        world.orgs["jinniu"].name,
        "--subject",
        "department",
        "--as",
        "city",
        "--format",
        "json",
        stdout=out,
    )
    payload = json.loads(out.getvalue())
    assert payload["subject"] == "department"
    names = [row["name"] for row in payload["organizations"]]
    # No targets: both score nothing but the deductions, tied in the ranking.
    assert sorted(names) == [
        f"{world.orgs['jinniu'].name} · 招商一局",
        f"{world.orgs['jinniu'].name} · 招商二局",
    ]
    assert Assessment.objects.filter(subject_kind="department").count() == 2


def test_department_pages_are_managed_by_their_own_organisation_only(world: World) -> None:
    jinniu = login(world.jinniu)
    made = jinniu.post("/kpi/departments/", {"name": "招商一局", "note": "工业项目"})
    assert made.status_code == 302
    dept = (
        departments.visible_departments(world.jinniu).get(name="招商一局")
        if hasattr(departments, "visible_departments")
        else None
    )

    dept = Department.objects.get(name="招商一局")
    url = f"/kpi/departments/{dept.pk}/"
    member = factories.user("jinniu-member", world.orgs["jinniu"])
    assert jinniu.post(url, {"action": "members", "members": [member.pk]}).status_code == 302
    assert departments.members(dept) == [member]
    assert (
        jinniu.post(url, {"action": "link", "project": world.projects["alpha"].name}).status_code
        == 302
    )
    assert (
        jinniu.post(
            url, {"action": "target", "period": "2025Q1", "kind": "signed_count", "value": "3"}
        ).status_code
        == 302
    )
    page = jinniu.get(f"{url}?period=2025Q1").content.decode()
    assert world.projects["alpha"].name in page and "department-target-form" in page
    assert "33.3%" in page  # 1 of 3 signings
    # The city above reads it but cannot change it; a neighbour and an outsider get a 404.
    city = login(world.city)
    assert city.get(url).status_code == 200
    assert "department-target-form" not in city.get(url).content.decode()
    assert city.post(url, {"action": "rename", "name": "改名"}).status_code == 403
    for other in (world.qingbaijiang, world.outsider):
        client = login(other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "rename", "name": "改名"}).status_code == 404
        listing = client.get("/kpi/departments/").content.decode()
        assert f'data-department="{dept.pk}"' not in listing
    dept.refresh_from_db()
    assert dept.name == "招商一局"
    # A member must be a user of the organisation; a project must be the organisation's.
    with pytest.raises(Invalid):
        departments.set_members(world.jinniu, dept, [world.qingbaijiang])
    with pytest.raises((Invalid, NotFound)):
        departments.link_project(world.jinniu, dept, world.projects["qbj"])
    with pytest.raises(Forbidden):
        departments.save_department(world.city, dept, name="改名")


def test_targets_import_by_department(world: World, xlsx: Callable[..., Path]) -> None:
    first = departments.save_department(world.jinniu, None, name="招商一局")
    jinniu, qbj = world.orgs["jinniu"].name, world.orgs["qingbaijiang"].name
    header = ["机构", "考核期", "目标类型", "目标值(万元)", "工作专班", "部门"]
    bad = xlsx(
        header,
        [
            [jinniu, "2025Q1", "签约金额", "50000", "", "招商一局"],
            [qbj, "2025Q1", "签约金额", "1", "", "招商一局"],  # not 青白江区's department
            [jinniu, "2025Q1", "签约个数", "2", "专班", "招商一局"],
        ],
    )
    report = imports.run(TargetImporter(world.city, world.orgs["city"]), bad)
    assert not report.written and not Target.objects.exists()
    rendered = [p.render("zh") for p in report.problems]
    assert any(r.startswith("第3行 [部门]") and "没有这个部门" in r for r in rendered)
    assert any(r.startswith("第4行 [部门]") for r in rendered)
    good = xlsx(
        header,
        [
            [jinniu, "2025Q1", "签约金额", "50000", "", "招商一局"],
            [jinniu, "2025Q1", "签约金额", "90000", "", ""],
        ],
        name="good.xlsx",
    )
    report = imports.run(TargetImporter(world.city, world.orgs["city"]), good)
    assert report.written, [p.render("zh") for p in report.problems]
    target = Target.objects.get(subject_kind="department")
    assert (target.department, target.value) == (first, 5 * YI)
    chosen = subjects.subjects_of(world.city, SubjectKind.DEPARTMENT, world.orgs["jinniu"])
    assert subjects.targets(chosen, Q1) == {first.pk: {"signed_amount": 5 * YI}}
    assert Target.objects.get(subject_kind="organization").value == 9 * YI


def test_targets_page_names_the_department_and_the_office(world: World) -> None:
    dept = departments.save_department(world.jinniu, None, name="招商一局")
    departments.set_department_target(world.jinniu, dept, "2025Q1", "signed_count", 3)
    office = LiaisonOffice.objects.create(
        organization=world.orgs["jinniu"], kind=OfficeKind.CITY_OFFICE, name="驻上海联络点"
    )
    liaison.set_office_target(world.jinniu, office, "2025Q1", "signed_count", 2)
    text = login(world.city).get("/kpi/targets/?period=2025Q1").content.decode()
    assert f'href="/kpi/departments/{dept.pk}/">招商一局' in text
    assert f'href="/kpi/offices/{office.pk}/">驻上海联络点' in text
    assert "招商一局" not in login(world.qingbaijiang).get("/kpi/targets/").content.decode()
