"""`parklink import cobuild-records`, `parklink ledger run|statement`: the parties only."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from parklink.cobuild.models import Record, Run, RunStatus
from parklink.cobuild.services import confirmations, runs


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fail(*args: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


@pytest.fixture
def figures(world: dict[str, Any], xlsx: Callable[..., Path]) -> Path:
    firms = world["enterprises"]
    return xlsx(
        ["统一社会信用代码", "企业名称", "指标", "数额(万元)"],
        [
            [firms[0].uscc, firms[0].name, "增值税地方留成", "1.2345"],
            [firms[1].uscc, firms[1].name, "vat_local", 3],
            [firms[1].uscc, firms[1].name, "就业人数", 12],
        ],
        "figures.xlsx",
    )


def _import(world: dict[str, Any], path: Path, who: str, *extra: str) -> str:
    agreement = str(world["agreement"].pk)
    return run(
        "import", "cobuild-records", str(path), "--agreement", agreement, "--period", "2025Q2",
        "--as", who, *extra,
    )  # fmt: skip


class TestImportRecords:
    def test_a_party_imports_its_figures_in_fen(self, world: dict[str, Any], figures: Path) -> None:
        out = _import(world, figures, "jinniu_officer")
        assert "已导入 3 条分账数据" in out
        rows = Record.objects.filter(period_label="2025Q2").order_by("id")
        assert [(r.indicator, r.amount, r.contributed_by.key) for r in rows] == [
            ("vat_local", 1_234_500, "jinniu"),
            ("vat_local", 3_000_000, "jinniu"),
            ("jobs", 12, "jinniu"),
        ]

    def test_a_csv_with_english_headers(self, world: dict[str, Any], tmp_path: Path) -> None:
        firms = world["enterprises"]
        path = tmp_path / "figures.csv"
        path.write_text(
            f"uscc,indicator,amount\n{firms[0].uscc},vat_local,1000.01\n{firms[1].uscc},output,2\n",
            "utf-8",
        )
        assert "已导入 2 条分账数据" in _import(world, path, "dege_officer")
        rows = Record.objects.filter(period_label="2025Q2").order_by("id")
        assert [(r.enterprise_id, r.indicator, r.amount, r.contributed_by.key) for r in rows] == [
            (firms[0].pk, "vat_local", 100_001, "dege"),
            (firms[1].pk, "output", 200, "dege"),
        ]

    def test_fractions_of_a_fen_are_refused(
        self, world: dict[str, Any], xlsx: Callable[..., Path]
    ) -> None:
        firm = world["enterprises"][0]
        path = xlsx(["统一社会信用代码", "指标", "数额"], [[firm.uscc, "vat_local", "1.005"]])
        _message, err = fail(
            "import", "cobuild-records", str(path), "--agreement", str(world["agreement"].pk),
            "--period", "2025Q2", "--as", "jinniu_officer",
        )  # fmt: skip
        assert "金额最多精确到分" in err

    def test_an_unknown_uscc_is_a_problem_of_its_row(
        self, world: dict[str, Any], xlsx: Callable[..., Path]
    ) -> None:
        path = xlsx(["统一社会信用代码", "指标", "数额"], [["91510106MA00000990", "vat_local", 1]])
        _message, err = fail(
            "import", "cobuild-records", str(path), "--agreement", str(world["agreement"].pk),
            "--period", "2025Q2", "--as", "jinniu_officer",
        )  # fmt: skip
        assert "没有此统一社会信用代码的企业" in err

    def test_an_outsider_is_told_the_agreement_does_not_exist(
        self, world: dict[str, Any], figures: Path
    ) -> None:
        message, _err = fail(
            "import", "cobuild-records", str(figures), "--agreement", str(world["agreement"].pk),
            "--period", "2025Q2", "--as", "qingbaijiang_officer",
        )  # fmt: skip
        assert "不存在" in message
        assert not Record.objects.filter(period_label="2025Q2").exists()

    def test_a_settled_period_needs_replace(
        self, world: dict[str, Any], xlsx: Callable[..., Path]
    ) -> None:
        users = world["users"]
        settled = runs.run_period(users["jinniu"], world["agreement"], "2025Q1")
        confirmations.confirm(users["jinniu"], settled)
        confirmations.confirm(users["dege"], settled)
        firm = world["enterprises"][0]
        path = xlsx(["统一社会信用代码", "指标", "数额"], [[firm.uscc, "vat_local", 10]])
        base = (
            "import", "cobuild-records", str(path), "--agreement", str(world["agreement"].pk),
            "--period", "2025Q1", "--as", "dege_officer",
        )  # fmt: skip
        message, _err = fail(*base)
        assert "--replace" in message
        run(*base, "--replace")
        assert Run.objects.get(pk=settled.pk).status == RunStatus.SUPERSEDED
        assert Record.objects.filter(period_label="2025Q1", replaced=False).count() == 1

    def test_the_import_page_does_not_offer_it(self, world: dict[str, Any]) -> None:
        from parklink.core.registry import registry

        assert "cobuild-records" in [k.code for k in registry.importable()]
        assert "cobuild-records" not in [k.code for k in registry.importable_on_page()]


class TestLedgerRun:
    def test_run_and_confirm_for_the_users_party(self, world: dict[str, Any]) -> None:
        out = run(
            "ledger", "run", "--agreement", str(world["agreement"].pk), "--period", "2025Q1",
            "--confirm", "--as", "dege_officer",
        )  # fmt: skip
        made = Run.objects.get(agreement=world["agreement"])
        assert made.allocations_digest in out
        assert list(made.confirmations.values_list("party__key", flat=True)) == ["dege"]
        assert made.status == RunStatus.DRAFT

    def test_the_commands_as_the_issue_names_them(
        self, world: dict[str, Any], tmp_path: Path
    ) -> None:
        """Without --as the installation administrator acts: runs, statements, forecasts."""
        pk = str(world["agreement"].pk)
        out = run("ledger", "run", "--agreement", pk, "--period", "2025Q1")
        made = Run.objects.get(agreement=world["agreement"])
        assert made.allocations_digest in out and made.created_by == world["users"]["root"]
        target = tmp_path / "s.json"
        run(
            "ledger", "statement", "--agreement", pk, "--period", "2025Q1", "--party", "jinniu",
            "--format", "json", "-o", str(target),
        )  # fmt: skip
        assert json.loads(target.read_text("utf-8"))
        assert json.loads(run("ledger", "forecast", "--agreement", pk, "--format", "json"))

    def test_confirming_needs_a_party_and_nothing_is_run_without_one(
        self, world: dict[str, Any]
    ) -> None:
        message, _err = fail(
            "ledger", "run", "--agreement", str(world["agreement"].pk), "--period", "2025Q1",
            "--confirm",
        )  # fmt: skip
        assert "协议方" in message
        assert not Run.objects.exists()

    def test_an_outsider_is_refused(self, world: dict[str, Any]) -> None:
        message, _err = fail(
            "ledger", "run", "--agreement", str(world["agreement"].pk), "--period", "2025Q1",
            "--as", "qingbaijiang_officer",
        )  # fmt: skip
        assert "不存在" in message
        assert not Run.objects.exists()

    def test_a_bad_period_is_refused(self, world: dict[str, Any]) -> None:
        message, _err = fail(
            "ledger", "run", "--agreement", str(world["agreement"].pk), "--period", "2025-13",
            "--as", "dege_officer",
        )  # fmt: skip
        assert "月份" in message


class TestLedgerStatement:
    @pytest.fixture
    def settled(self, world: dict[str, Any]) -> Run:
        made = runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")
        confirmations.confirm(world["users"]["jinniu"], made)
        confirmations.confirm(world["users"]["dege"], made)
        return made

    def _statement(
        self, world: dict[str, Any], tmp_path: Path, fmt: str, who: str = "jinniu_officer"
    ) -> Path:
        target = tmp_path / f"statement.{fmt}"
        run(
            "ledger", "statement", "--agreement", str(world["agreement"].pk), "--period",
            "2025Q1", "--party", "dege", "--format", fmt, "-o", str(target), "--as", who,
        )  # fmt: skip
        return target

    def test_json_totals(self, world: dict[str, Any], settled: Run, tmp_path: Path) -> None:
        data = json.loads(self._statement(world, tmp_path, "json").read_text())
        assert data["party"]["key"] == "dege"
        assert data["run"]["status"] == "confirmed"
        assert (
            sum(row["amount"] for row in data["by_enterprise"]) == data["by_indicator"][0]["amount"]
        )

    def test_xlsx_cells_are_text_or_numbers(
        self, world: dict[str, Any], settled: Run, tmp_path: Path
    ) -> None:
        book = load_workbook(self._statement(world, tmp_path, "xlsx"))
        rows = list(book["按企业"].iter_rows(values_only=True))
        assert rows[0][0] == "企业"
        assert {row[2] for row in rows[1:]} == {"增值税地方留成"}
        assert all(isinstance(row[3], int) for row in rows[1:])

    def test_csv_has_a_header_and_a_row_per_enterprise(
        self, world: dict[str, Any], settled: Run, tmp_path: Path
    ) -> None:
        lines = self._statement(world, tmp_path, "csv").read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 3

    def test_an_outsider_gets_no_statement(
        self, world: dict[str, Any], settled: Run, tmp_path: Path
    ) -> None:
        with pytest.raises(CommandError):
            self._statement(world, tmp_path, "json", who="qingbaijiang_officer")
