"""`parklink import`: output lines, exit codes, dry run, languages and who may import."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.accounts.models import Organization, User
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import problem as uscc_problem
from parklink.projects.models import Project
from tests.support.import_files import make_uscc, wrong_check

HEADER = ["企业名称", "统一社会信用代码", "注册地"]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", *args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


@pytest.fixture
def good(xlsx: Callable[..., Path]) -> Path:
    return xlsx(
        HEADER,
        [
            ["甲科技有限公司", make_uscc(1), "510106"],
            ["乙科技有限公司", make_uscc(2), "成都市金牛区"],
        ],
        "good.xlsx",
    )


@pytest.fixture
def bad(xlsx: Callable[..., Path]) -> Path:
    return xlsx(
        HEADER,
        [
            ["甲科技有限公司", make_uscc(1), "510106"],
            ["乙科技有限公司", wrong_check(make_uscc(2)), "510106"],
            ["", make_uscc(3), "火星"],
        ],
        "bad.xlsx",
    )


class TestImportCommand:
    def test_success_prints_how_many_were_created(self, users: dict[str, User], good: Path) -> None:
        out, _err = run("enterprises", str(good), "--as", "jinniu_officer")
        assert out.strip() == "已导入 2 家企业"
        assert Enterprise.objects.count() == 2

    def test_bad_rows_exit_non_zero_print_every_problem_and_write_nothing(
        self, users: dict[str, User], bad: Path
    ) -> None:
        error, err = fail("enterprises", str(bad), "--as", "jinniu_officer")
        assert error.returncode == 1
        assert str(error) == "发现 3 个问题,未导入任何数据(共读取 3 行)"
        code = wrong_check(make_uscc(2))
        found = uscc_problem(code)
        assert found is not None
        assert err.splitlines() == [
            f"第3行 [统一社会信用代码] “{code}”: {found.message_zh}",
            "第4行 [企业名称] “”: 必填项不能为空",
            "第4行 [注册地] “火星”: 无法识别的行政区划:"
            "请填写6位行政区划代码或地名(如“成都市金牛区”)",
        ]
        assert not Enterprise.objects.exists()

    def test_english_output(self, users: dict[str, User], bad: Path) -> None:
        error, err = fail("enterprises", str(bad), "--as", "jinniu_officer", "--lang", "en")
        assert str(error) == "3 problem(s) found; nothing was imported (3 rows read)"
        assert err.splitlines()[1] == 'row 4 [企业名称] "": this column is required'

    def test_projects_with_english_headers_import_and_report_in_english(
        self, users: dict[str, User], csv_file: Callable[..., Path]
    ) -> None:
        path = csv_file(
            ["Name", "Region", "Total Investment", "Stage", "Stage Date"],
            [["Battery plant", "510106", "5.6亿元", "signed", "2024/1/19"]],
        )
        out, _err = run("projects", str(path), "--as", "jinniu_officer", "--lang", "en")
        assert out.strip() == "imported 1 project(s)"
        project = Project.objects.get()
        assert (project.stage, project.stage_since) == ("signed", date(2024, 1, 19))
        assert project.total_investment == Decimal("560000000.00")

    def test_dry_run_writes_nothing(self, users: dict[str, User], good: Path) -> None:
        out, _err = run("enterprises", str(good), "--as", "jinniu_officer", "--dry-run")
        assert out.strip() == "校验通过:共 2 行,未写入数据(--dry-run)"
        assert not Enterprise.objects.exists()

    def test_viewer_gets_a_clear_error(self, users: dict[str, User], good: Path) -> None:
        error, _err = fail("enterprises", str(good), "--as", "jinniu_viewer")
        assert error.returncode == 1
        assert str(error) == "当前角色只能查看,不能导入数据(需要专员或管理员角色)"
        assert not Enterprise.objects.exists()

    def test_installation_admin_imports_for_a_named_organisation(
        self, users: dict[str, User], orgs: dict[str, Organization], good: Path
    ) -> None:
        run("enterprises", str(good), "--as", "root", "--org", "德格县人民政府")
        assert set(Enterprise.objects.values_list("owner", flat=True)) == {orgs["dege"].pk}

    def test_officer_cannot_import_for_another_organisation(
        self, users: dict[str, User], good: Path
    ) -> None:
        error, _err = fail(
            "enterprises",
            str(good),
            "--as",
            "jinniu_officer",
            "--org",
            "德格县人民政府",
            "--lang",
            "en",
        )
        assert str(error) == "only an installation admin may import for another organisation"

    def test_unknown_user_and_missing_file_are_clear_errors(
        self, users: dict[str, User], good: Path, tmp_path: Path
    ) -> None:
        assert str(fail("projects", str(good), "--as", "nobody")[0]) == "用户“nobody”不存在"
        missing = tmp_path / "missing.xlsx"
        assert str(fail("projects", str(missing), "--as", "jinniu_officer")[0]) == (
            f"文件不存在:{missing}"
        )


class TestDefaultActor:
    def test_without_as_the_installation_admin_imports_for_the_named_org(
        self, tmp_path, users, orgs
    ):  # type: ignore[no-untyped-def]
        from django.core.management import call_command

        from parklink.enterprises.models import Enterprise

        path = tmp_path / "e.csv"
        path.write_text("企业名称,注册地\n四川新荷花公司,成都市金牛区\n", encoding="utf-8")
        call_command("import", "enterprises", str(path), "--org", orgs["jinniu"].name)
        company = Enterprise.objects.get(name="四川新荷花公司")
        assert company.owner == orgs["jinniu"] and company.region_id == "510106"
