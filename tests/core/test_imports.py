"""core.imports: problem wording, reports as JSON, progress and the authorize hook."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from parklink.core import imports
from parklink.core.cells import text
from parklink.core.imports import Column, Importer, ImportReport, Problem, Row


class TestProblem:
    problem = Problem(3, "统一社会信用代码", "91510106MA0000001X", "校验码错误", "bad check")

    def test_chinese_rendering(self) -> None:
        assert self.problem.render() == "第3行 [统一社会信用代码] “91510106MA0000001X”: 校验码错误"

    def test_english_rendering(self) -> None:
        assert (
            self.problem.render("en") == 'row 3 [统一社会信用代码] "91510106MA0000001X": bad check'
        )


class NameImporter(Importer):
    """A throwaway kind: one required name column; saved rows are kept in a list."""

    kind = "names"

    def __init__(self) -> None:
        super().__init__(user=None, owner=None)
        self.saved: list[str] = []

    def authorize(self) -> None:
        """Anyone may import names."""

    def columns(self) -> Sequence[Column]:
        return [Column("name", "名称", "name", text(5), required=True)]

    def save(self, row: Row) -> Any:
        self.saved.append(row.values["name"])


def names_csv(tmp_path: Path, *names: str) -> Path:
    path = tmp_path / "names.csv"
    path.write_text("名称\n" + "".join(f"{name}\n" for name in names), encoding="utf-8")
    return path


class TestReportJson:
    def test_a_report_reads_back_from_its_json(self, tmp_path: Path) -> None:
        report = imports.validate(NameImporter(), names_csv(tmp_path, "甲", "太长的名字啊"))
        again = ImportReport.from_json(report.as_json())
        assert again == report
        assert again.problems[0].row == 3

    def test_json_keeps_at_most_the_given_problems_and_counts_them_all(self) -> None:
        problems = [Problem(row, "名称", "", "空", "empty") for row in range(2, 7)]
        data = ImportReport("names", rows_read=5, problems=problems).as_json(max_problems=2)
        assert len(data["problems"]) == 2
        assert data["problem_count"] == 5


class TestPhases:
    @pytest.mark.django_db
    def test_the_cycle_collector_rests_during_an_import_and_is_back_after(
        self, tmp_path: Path
    ) -> None:
        """A file's rows live until the import ends: no full collection walks them meanwhile."""
        seen: list[bool] = []

        class Watching(NameImporter):
            def check(self, row: Row) -> list[Problem]:
                seen.append(gc.isenabled())
                return []

        assert gc.isenabled()
        imports.run(Watching(), names_csv(tmp_path, "甲", "乙"))
        imports.validate(Watching(), names_csv(tmp_path, "丙"))
        assert seen == [False, False, False]
        assert gc.isenabled()
        with pytest.raises(NotImplementedError):  # back on however the import ends
            imports.run(
                type("Careless", (NameImporter,), {"authorize": Importer.authorize})(),
                names_csv(tmp_path, "甲"),
            )
        assert gc.isenabled()

    def test_every_importer_must_say_who_may_import(self, tmp_path: Path) -> None:
        class Careless(NameImporter):
            authorize = Importer.authorize

        with pytest.raises(NotImplementedError):
            imports.validate(Careless(), names_csv(tmp_path, "甲"))

    def test_preview_rows_carry_the_spreadsheet_row_numbers(self, tmp_path: Path) -> None:
        report = imports.validate(NameImporter(), names_csv(tmp_path, "甲", "", "乙"))
        assert report.preview_rows == [2, 4]

    @pytest.mark.django_db
    def test_progress_hears_reading_checking_and_writing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
        heard: list[tuple[str, int]] = []
        importer = NameImporter()
        source = names_csv(tmp_path, "甲", "乙", "丙")
        report = imports.run(importer, source, progress=lambda *step: heard.append(step))
        assert report.written and importer.saved == ["甲", "乙", "丙"]
        assert heard == [("read", 2), ("check", 3), ("write", 3)]
