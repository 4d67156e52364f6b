"""`parklink positioning compute-file`: the issue's file contract, the peer's figures, and a
clear error (line, column, value) for every kind of bad input. No database is touched."""

from __future__ import annotations

import gzip
import io
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.positioning.complexity.longfile import OUTPUT_COLUMNS
from tests.positioning.support import DATA, FIGURES, cached, max_differences, peer_run, read

FIXTURE = DATA / "growthlab_fixture_trade_sample.csv"
FIXTURE_FLAGS = ["--time-col", "year", "--loc-col", "origin", "--prod-col", "hs92"]
FIXTURE_FLAGS += ["--val-col", "export_val"]


def run(*args: str | Path) -> str:
    out = io.StringIO()
    call_command("positioning", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def written(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"time": str, "loc": str, "prod": str})


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class TestComputeFile:
    def test_the_fixture_gives_the_peers_figures_in_the_issues_columns(self, tmp_path) -> None:
        target = tmp_path / "out.csv"
        report = run("compute-file", FIXTURE, "-o", target, *FIXTURE_FLAGS)
        assert "已写出 600 行" in report and "1995:10 个地区 × 30 个产业" in report
        header = target.read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(OUTPUT_COLUMNS)
        mine = written(target).set_index(["time", "loc", "prod"]).sort_index()
        assert len(mine) == 600 and not mine.index.duplicated().any()
        frame = read(
            FIXTURE, {"time": "year", "loc": "origin", "prod": "hs92", "val": "export_val"}
        )
        peer = cached("fixture", lambda: peer_run(frame))
        assert max(max_differences(peer, mine[list(FIGURES)]).values()) <= 1e-9

    def test_floats_are_written_at_full_precision(self, tmp_path) -> None:
        """repr: the text reads back to the very same float, so files compare exactly."""
        from parklink.positioning.complexity import compute
        from parklink.positioning.complexity.table import slices

        target = tmp_path / "out.csv"
        run("compute-file", FIXTURE, "-o", target, *FIXTURE_FLAGS)
        table = written(target)
        frame = pd.read_csv(FIXTURE, dtype=str)
        first = next(slices(frame.year, frame.origin, frame.hs92, frame.export_val.astype(float)))
        r = compute(first.values)
        year = table[table.time == "1995"]
        assert (year["cog"].to_numpy() == r.cog.ravel()).all()
        assert (year["rca"].to_numpy() == r.rca.ravel()).all()
        assert set(year["mcp"]) == {0, 1} and year["diversity"].dtype == np.int64

    def test_gzip_input_and_output_stata_convention(self, tmp_path) -> None:
        source = tmp_path / "in.data"  # recognised by its bytes, not its name
        with FIXTURE.open("rb") as raw, gzip.open(source, "wb") as packed:
            shutil.copyfileobj(raw, packed)
        target = tmp_path / "out.csv.gz"
        report = run("compute-file", source, "-o", target, *FIXTURE_FLAGS, "--convention", "stata")
        assert "约定 stata" in report
        table = pd.read_csv(target)
        assert len(table) == 600
        plain = tmp_path / "plain.csv"
        run("compute-file", FIXTURE, "-o", plain, *FIXTURE_FLAGS)
        py = written(plain)
        assert (table["rca"] == py["rca"]).all()
        assert (table["density"] - py["density"]).abs().max() > 1e-3

    def test_one_period_without_a_time_column_and_zero_rows(self, tmp_path) -> None:
        source = write(
            tmp_path / "in.csv",
            "region,industry,jobs\n"
            "a,x,10\na,y,0\nb,x,3\nb,y,9\nc,x,4\nc,y,4\nc,z,1\nd,x,0\nd,z,0\n"
            "a,x,5\n",
        )
        target = tmp_path / "out.csv"
        report = run(
            "compute-file",
            source,
            "-o",
            target,
            "--time-value",
            "2024",
            "--loc-col",
            "region",
            "--prod-col",
            "industry",
            "--val-col",
            "jobs",
        )
        assert "1 行重复(同一时间、地区、产业)已相加" in report
        assert "1 个地区合计为 0,未参与计算" in report
        table = written(target).set_index(["loc", "prod"])
        assert len(table) == 4 * 3 and set(table.time) == {"2024"}
        assert table.loc[("a", "x"), "val"] == 15.0
        dropped = table.loc["d"]
        assert dropped[["rca", "eci", "density", "cog"]].isna().all().all()
        assert dropped["mcp"].isna().all()

    def test_missing_values_count_as_zero(self, tmp_path) -> None:
        source = write(
            tmp_path / "in.csv",
            "time,loc,prod,val\n1,a,x,10\n1,a,y,\n1,b,x,3\n1,b,y,NA\n1,c,x,1\n1,c,y,5\n",
        )
        target = tmp_path / "out.csv"
        assert "2 个缺失值按 0 计" in run("compute-file", source, "-o", target)
        table = written(target).set_index(["loc", "prod"])
        assert table.loc[("a", "y"), "val"] == 0.0 and table.loc[("a", "y"), "rca"] == 0.0


class TestComputeFileErrors:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "输入文件为空"),
            ("time,loc,prod,val\n", "只有表头,没有数据行"),
            (
                "year,loc,prod,value\n1,a,b,2\n",
                "缺少列:time、val(表头中的列:year、loc、prod、value)",
            ),
            ("time,loc,prod,val\n1,a,b,2\n1,a,c,abc\n", "第 3 行的“val”列不是数字:abc"),
            ("time,loc,prod,val\n1,a,b,2\n1,a,c,-4\n", "第 3 行的“val”列为负数:-4"),
            ("time,loc,prod,val\n1,a,b,inf\n", "第 2 行的“val”列不是有限数值:inf"),
            ("time,loc,prod,val\n1,a,b,2\n1,,c,4\n", "第 3 行的“loc”列为空"),
            ("time,loc,prod,val\n1,a,b,2\n1,a\n", "第 3 行只有 2 列,至少需要 4 列"),
        ],
    )
    def test_bad_input_is_named(self, tmp_path, text: str, message: str) -> None:
        source = write(tmp_path / "in.csv", text)
        with pytest.raises(CommandError) as caught:
            run("compute-file", source, "-o", tmp_path / "out.csv")
        assert message in str(caught.value)
        assert not (tmp_path / "out.csv").exists()

    def test_manual_presence_must_be_zero_or_one(self, tmp_path) -> None:
        source = write(tmp_path / "in.csv", "time,loc,prod,val\n1,a,b,1\n1,a,c,2\n")
        with pytest.raises(CommandError, match="第 3 行的“val”列应为 0 或 1"):
            run("compute-file", source, "-o", tmp_path / "o.csv", "--presence", "manual")
        source = write(tmp_path / "in.csv", "time,loc,prod,val\n1,a,b,1\n1,a,b,1\n1,b,c,1\n")
        (tmp_path / "o.csv").write_text("earlier output")
        with pytest.raises(
            CommandError, match=re.escape("时间 1、地区 a、产业 b 的重复行相加后为 2.0")
        ):
            run("compute-file", source, "-o", tmp_path / "o.csv", "--presence", "manual")
        # All or nothing: the earlier file is untouched and no partial file is left.
        assert (tmp_path / "o.csv").read_text() == "earlier output"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]

    def test_a_missing_file_and_a_file_that_is_not_utf8(self, tmp_path) -> None:
        with pytest.raises(CommandError, match="文件不存在"):
            run("compute-file", tmp_path / "nope.csv", "-o", tmp_path / "o.csv")
        source = tmp_path / "gbk.csv"
        source.write_bytes("time,loc,prod,val\n1,成都,x,1\n".encode("gbk"))
        with pytest.raises(CommandError, match="不是 UTF-8"):
            run("compute-file", source, "-o", tmp_path / "o.csv")
