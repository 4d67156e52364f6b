"""`parklink chains list` and `classify-file` on real CSV files, without the database.

No test here has the django_db mark, so pytest-django turns any query into an error; the last
test also runs the command in a fresh process whose DATABASE_URL points nowhere."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parklink.chains.catalog import shipped
from parklink.chains.classify import Classifier
from parklink.chains.classify.files import FileProblem, classify_stream

ROWS = [
    ["industry_code", "scope", "name", "id"],
    [
        "3841",
        "一般项目：锂离子电池的研发、生产和销售；货物进出口",
        "眉山某某锂电科技有限公司",
        "E1",
    ],
    ["", "餐饮服务；食品销售；外卖递送服务", "成都某某火锅店", "E2"],
    ["", "锂离子电池制造；光伏组件制造；储能系统集成", "四川某某新能源有限公司", "E3"],
    ["", "光伏發電項目的開發、建設、運營；光伏設備安裝", "雅安某某光能有限公司", "E4"],
]


def write(path: Path, rows: list[list[str]], bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_list_prints_every_chain_key_and_name() -> None:
    out = io.StringIO()
    call_command("chains", "list", "--segments", stdout=out)
    text = out.getvalue()
    for key, chain in shipped().items():
        assert key in text and chain.name in text
    assert "power_station" in text


@pytest.mark.parametrize("bom", [True, False])
def test_classify_file_writes_the_contract_without_queries(tmp_path: Path, bom: bool) -> None:
    source = write(tmp_path / "in.csv", ROWS, bom)
    target = tmp_path / "out.csv"
    # no django_db mark: pytest-django refuses any database access, so a query would fail here
    call_command("chains", "classify-file", str(source), "-o", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8").splitlines()[0] == "id,chain,segment,score,evidence"
    rows = read(target)
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    assert [(r["chain"], r["segment"]) for r in by_id["E1"]] == [("lithium", "cell")]
    assert float(by_id["E1"][0]["score"]) >= 0.5 and "锂离子电池" in by_id["E1"][0]["evidence"]
    assert by_id["E2"] == [{"id": "E2", "chain": "", "segment": "", "score": "", "evidence": ""}]
    assert {r["chain"] for r in by_id["E3"]} >= {"lithium", "photovoltaics"}
    assert by_id["E4"][0]["segment"] == "power_station"


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", [["id", "name", "经营范围"], ["1", "a", "b"]])
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="缺少列 scope") as caught:
        call_command("chains", "classify-file", str(source), "-o", str(target))
    assert "missing column scope" in str(caught.value)
    assert not target.exists()


def test_a_bad_row_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [*ROWS[:3], ["", "光伏组件制造", "某某公司"], ROWS[3]]
    source = write(tmp_path / "in.csv", rows)
    target = tmp_path / "out.csv"
    target.write_text("earlier output\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 4 行: 有 3 个单元格,表头有 4 列"):
        call_command("chains", "classify-file", str(source), "-o", str(target))
    assert target.read_text(encoding="utf-8") == "earlier output\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".classify-")]


def test_an_empty_id_and_a_non_utf8_file_are_refused(tmp_path: Path) -> None:
    classifier = Classifier(shipped().values())
    empty_id = b"id,name,scope\n,a,b\n"
    with pytest.raises(FileProblem, match="第 2 行: id 为空"):
        classify_stream(io.BytesIO(empty_id), io.StringIO(), classifier)
    gbk = "id,name,scope\n1,某公司,锂电池制造\n".encode("gbk")
    with pytest.raises(FileProblem, match="不是 UTF-8"):
        classify_stream(io.BytesIO(gbk), io.StringIO(), classifier)
    with pytest.raises(FileProblem, match="文件为空"):
        classify_stream(io.BytesIO(b""), io.StringIO(), classifier)


def test_quoted_newlines_and_extra_columns_are_read(tmp_path: Path) -> None:
    text = 'id,name,scope,note\n"7","某某公司","光伏组件制造；\n光伏支架加工","x"\n'
    out = io.StringIO()
    summary = classify_stream(io.BytesIO(text.encode()), out, Classifier(shipped().values()))
    assert summary.enterprises == 1 and summary.assignments >= 1
    assert "7,photovoltaics,module" in out.getvalue()


def test_the_command_runs_with_the_database_unreachable(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", ROWS)
    target = tmp_path / "out.csv"
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://nobody:none@127.0.0.1:9/nowhere",
        "PARKLINK_DEBUG": "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "parklink",
            "chains",
            "classify-file",
            str(source),
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "4 家企业" in done.stderr
    assert len({row["id"] for row in read(target)}) == 4


def test_a_missing_input_or_output_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到输入文件"):
        call_command("chains", "classify-file", str(tmp_path / "none.csv"), "-o", "x.csv")
    source = write(tmp_path / "in.csv", ROWS)
    with pytest.raises(CommandError, match="输出目录"):
        call_command("chains", "classify-file", str(source), "-o", str(tmp_path / "no" / "x.csv"))


def test_reading_a_file_puts_the_csv_field_limit_back() -> None:
    """The csv module's field limit is the whole process's: raised to read long scopes, then
    restored, so other readers (the import engine's own limits) see what they set."""
    from parklink.chains.classify import Classifier
    from parklink.chains.classify.files import classify_stream

    before = csv.field_size_limit()
    scope = "锂离子电池制造;" + "技术服务、" * 40_000  # longer than the default limit
    source = io.BytesIO(f"id,name,scope\n1,某某电池有限公司,{scope}\n".encode())
    target = io.StringIO()
    summary = classify_stream(source, target, Classifier(shipped().values()))
    assert summary.enterprises == 1
    assert csv.field_size_limit() == before
