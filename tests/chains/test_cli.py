"""`parklink chains classify | gaps | targets` on a real database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from parklink.accounts.models import Organization, User
from parklink.chains.models import Assignment, ChangedEnterprise
from tests.chains.world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    return build(orgs, users)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("chains", *args, stdout=out)
    return out.getvalue()


def test_classify_changed_with_a_progress_bar(world: World) -> None:
    run("classify", "--all")
    assert not ChangedEnterprise.objects.exists()
    enterprise = world.e["unplaced"]
    enterprise.description = "多晶硅的研发、生产和销售。"
    enterprise.save()
    assert ChangedEnterprise.objects.filter(enterprise=enterprise).exists()
    out = run("classify", "--changed", "--template", "testpv")
    assert "100.0%" in out and "已分类 1 家企业" in out
    assert Assignment.objects.filter(enterprise=enterprise, segment="poly").exists()


def test_classify_refuses_an_unknown_template(world: World) -> None:
    with pytest.raises(CommandError, match="nope"):
        run("classify", "--template", "nope")


def test_gaps_as_a_table_and_as_excel(world: World, tmp_path: Path) -> None:
    out = run("gaps", "--place", "region:510106", "--chain", "testpv", "--as", "jinniu_officer")
    assert "电池片\t强\t3" in out and "工业硅\t缺\t0" in out
    target = tmp_path / "gaps.xlsx"
    run("gaps", "--place", "region:510106", "--chain", "testpv", "-o", str(target))
    assert load_workbook(target).active.max_row == 11


def test_targets_finds_the_chain_by_its_segment(world: World) -> None:
    out = run(
        "targets", "--place", "region:510106", "--segment", "silicon", "--as", "jinniu_officer"
    )
    lines = [line for line in out.splitlines() if line[:1].isdigit()]
    assert lines[0].split("\t")[1] == "big_silicon公司"
    assert len(lines) == 2


def test_a_bad_place_is_a_clear_error(world: World) -> None:
    with pytest.raises(CommandError, match="region:"):
        run("gaps", "--place", "nowhere", "--chain", "testpv")


def test_the_gap_report_through_parklink_export(world: World, tmp_path: Path) -> None:
    target = tmp_path / "gaps.xlsx"
    call_command(
        "export", "chain-gaps", str(target), "--as", "jinniu_officer",
        "--place", "region:510106", "--chain", "testpv", stdout=io.StringIO(),
    )  # fmt: skip
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][1] == "四川省成都市金牛区"
    target = tmp_path / "targets.xlsx"
    call_command(
        "export", "chain-targets", str(target), "--as", "jinniu_officer",
        "--place", "region:510106", "--chain", "testpv", "--segment", "module",
        stdout=io.StringIO(),
    )  # fmt: skip
    names = [row[1] for row in load_workbook(target).active.iter_rows(min_row=6, values_only=True)]
    assert names == ["partner公司", "plain公司"]
