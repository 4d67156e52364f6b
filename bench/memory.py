"""Peak memory and time of checking hostile and largest-accepted import files.

`run_cases(user, folder)` builds the files, then checks each one in a fresh process
(`python -m bench.memory USERNAME FILE PAGE`), so each peak (VmHWM: the process's highest
resident memory, which unlike ru_maxrss does not carry over from the parent) is its own.
A 10-row file gives the baseline: Django, the region table and openpyxl already loaded.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

LIMIT_MB = 500
_POOL = "成都锂电新材料科技储能装备生物医药数字经济园区项目投资建设生产线年产达产税收就业" * 4


def _text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_POOL) for _ in range(length))


def enterprise_rows(count: int, description: int = 0) -> list[list[object]]:
    from parklink.enterprises.uscc import check_character

    rng = random.Random(count)
    places = ["510106", "四川省成都市金牛区", "什邡市", "513330", "甘孜州德格县"]
    rows: list[list[object]] = []
    for index in range(count):
        body = f"91510100MA{index:07d}"
        rows.append(
            [
                f"合成企业{index:06d}有限公司",
                body + check_character(body),
                places[index % len(places)],
                "39",
                1000 + index,
                _text(rng, description) if description else None,
            ]
        )
    return rows


HEADER = ["企业名称", "统一社会信用代码", "注册地", "行业代码", "注册资本(万元)", "简介"]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    from parklink.core import xlsx

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    xlsx.append(sheet, HEADER)
    for row in rows:
        xlsx.append(sheet, row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows([[cell if cell is not None else "" for cell in row] for row in rows])
    return path


def bomb_xlsx(path: Path, rows: int, row_xml: bytes) -> Path:
    """A workbook whose only sheet is `rows` copies of `row_xml`, compressed as far as it goes."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    sheet = parts.pop("xl/worksheets/sheet1.xml")
    head = sheet.partition(b"<sheetData")[0] + b"<sheetData>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w") as stream:
            stream.write(head)
            per_block = min(rows, 10_000)
            for _ in range(rows // per_block):
                stream.write(row_xml * per_block)
            stream.write(b"</sheetData></worksheet>")
    return path


def huge_cell_xlsx(path: Path, megabytes: int) -> Path:
    """One header and one row whose second cell holds `megabytes` MB of text."""
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    bomb_xlsx(path, 1, row + cell + b"x" * (megabytes * 1024 * 1024) + b"</t></is></c></row>")
    return path


def measure(username: str, path: Path, page: bool) -> tuple[float, float, str]:
    """(seconds, peak MB, outcome) of validating `path` in a fresh process."""
    command = [sys.executable, "-m", "bench.memory", username, str(path), "1" if page else "0"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ)
    seconds, peak, outcome = done.stdout.strip().split("\t", 2)
    return float(seconds), float(peak), outcome


def run_cases(username: str, folder: Path) -> list[str]:
    sizes = lambda p: f"{p.stat().st_size / 1024 / 1024:.1f} MB"  # noqa: E731
    cases = [
        ("baseline: 10 rows", write_xlsx(folder / "ten.xlsx", enterprise_rows(10)), True),
        (
            "page max: 10,000 rows",
            write_xlsx(folder / "page.xlsx", enterprise_rows(10_000, 40)),
            True,
        ),
        (
            "command max: 50,000 rows xlsx",
            write_xlsx(folder / "cli.xlsx", enterprise_rows(50_000, 340)),
            False,
        ),
        (
            "command max: 50,000 rows csv",
            write_csv(folder / "cli.csv", enterprise_rows(50_000, 105)),
            False,
        ),
        (
            "bomb: 3,000,000 rows",
            bomb_xlsx(
                folder / "bomb.xlsx",
                3_000_000,
                b'<row><c t="inlineStr"><is><t>' + "甲".encode() * 80 + b"</t></is></c></row>",
            ),
            True,
        ),
        ("one 300 MB cell", huge_cell_xlsx(folder / "cell.xlsx", 300), True),
        (
            "52 MB csv",
            write_csv(folder / "big.csv", enterprise_rows(265_000, 50)),
            True,
        ),
    ]
    lines = []
    base = None
    for label, path, page in cases:
        seconds, peak, outcome = measure(username, path, page)
        base = base or peak
        verdict = "ok" if peak < LIMIT_MB else f"ABOVE {LIMIT_MB} MB"
        lines.append(
            f"import memory {label:<30} {sizes(path):>8} {seconds:6.2f} s peak {peak:6.0f} MB "
            f"(x{peak / base:4.1f} baseline, {verdict}) {outcome}"
        )
    return lines


def _high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _check(username: str, path: Path, page: bool) -> None:
    import django

    django.setup()
    from parklink.accounts.models import User
    from parklink.core.imports import import_limits
    from parklink.enterprises.imports import validate_enterprises

    user = User.objects.select_related("organization").get(username=username)
    start = time.perf_counter()
    report = validate_enterprises(user, path, limits=import_limits(), name=path.name)
    seconds = time.perf_counter() - start
    peak = _high_water_mb()
    if report.ok:
        outcome = f"accepted {report.rows_read} rows"
    else:
        first = report.problems[0]
        outcome = f"refused ({len(report.problems)}): {first.reason_en[:90]}"
    print(f"{seconds:.3f}\t{peak:.1f}\t{outcome}")


if __name__ == "__main__":
    _check(sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1")
