"""The department-members import: all or nothing, every bad row reported, the organisation's
own departments and users only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from parklink.core import imports
from parklink.core.errors import Forbidden
from parklink.core.registry import registry
from parklink.kpi.imports_members import MemberImporter
from parklink.kpi.models import DepartmentMember
from parklink.kpi.services import departments
from tests.kpi.support import World
from tests.support import factories

pytestmark = pytest.mark.django_db

HEADER = ["部门", "用户名", "姓名"]


def membership() -> set[tuple[str, str]]:
    return set(DepartmentMember.objects.values_list("department__name", "user__username"))


def test_members_import_is_all_or_nothing(world: World, xlsx: Callable[..., Path]) -> None:
    jinniu = world.orgs["jinniu"]
    first = departments.save_department(world.jinniu, None, name="招商一局")
    departments.save_department(world.jinniu, None, name="招商二局")
    colleague = factories.user("jinniu_b", jinniu)
    third = factories.user("jinniu_c", jinniu)
    departments.set_members(world.jinniu, first, [third])
    # 青白江区 has a 招商三局; its name means nothing to 金牛区.
    departments.save_department(world.qingbaijiang, None, name="招商三局")
    before = membership()
    bad = xlsx(
        HEADER,
        [
            ["招商一局", "jinniu", "金牛专员"],
            ["招商九局", "jinniu_b", ""],  # no such department
            ["招商三局", "jinniu_c", ""],  # another organisation's department
            ["招商二局", "qbj", ""],  # another organisation's user
            ["招商二局", "nobody", ""],  # no such user
            ["招商二局", "jinniu", ""],  # named twice
            ["", "jinniu_b", ""],  # no department
        ],
    )
    report = imports.run(MemberImporter(world.jinniu, jinniu), bad)
    assert not report.written and membership() == before
    rendered = [p.render("zh") for p in report.problems]
    assert any(r.startswith("第3行 [部门]") and "没有这个部门" in r for r in rendered)
    assert any(r.startswith("第4行 [部门]") for r in rendered)
    assert any(r.startswith("第5行 [用户名]") and "不是本机构" in r for r in rendered)
    assert any(r.startswith("第6行 [用户名]") and "不是本机构" in r for r in rendered)
    assert any(r.startswith("第7行 [用户名]") and "重复" in r for r in rendered)
    assert any(r.startswith("第8行 [部门]") for r in rendered)
    assert not any("qbj" in r and "青白江" in r for r in rendered)  # tells nothing about them
    good = xlsx(
        HEADER,
        [["招商一局", "jinniu", ""], ["招商二局", "jinniu_b", ""], ["招商二局", "jinniu_c", ""]],
        name="good.xlsx",
    )
    report = imports.run(MemberImporter(world.jinniu, jinniu), good)
    assert report.written, [p.render("zh") for p in report.problems]
    # jinniu_c moved from 招商一局 to 招商二局; no one is in two departments.
    assert membership() == {
        ("招商一局", "jinniu"),
        ("招商二局", "jinniu_b"),
        ("招商二局", "jinniu_c"),
    }
    assert colleague.kpi_department_member.department.name == "招商二局"


def test_only_the_organisations_officers_import(world: World, xlsx: Callable[..., Path]) -> None:
    jinniu = world.orgs["jinniu"]
    departments.save_department(world.jinniu, None, name="招商一局")
    good = xlsx(HEADER, [["招商一局", "jinniu", ""]])
    reader = factories.user("jinniu_reader", jinniu, role="viewer")
    for user in (reader, world.qingbaijiang, world.city):
        with pytest.raises(Forbidden):
            imports.run(MemberImporter(user, jinniu), good)
    assert not DepartmentMember.objects.exists()
    # Registered as a kind of the import page and `parklink import`.
    kind = registry.tabular.get("kpi-department-members")
    assert kind is not None
    built = kind.build_importer(world.jinniu, None)
    assert isinstance(built, MemberImporter) and built.owner == jinniu


def test_the_import_page_offers_the_kind_and_its_template(world: World) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.jinniu)
    page = client.get("/import/")
    assert page.status_code == 200 and "部门成员" in page.content.decode()
    template = client.get("/import/template/kpi-department-members/")
    assert template.status_code == 200 and template.content[:2] == b"PK"
