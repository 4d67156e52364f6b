"""Classify a CSV file of enterprises into a CSV file of assignments, row by row (no Django).

INPUT: a header row naming the columns `id`, `name`, `scope` and optionally `industry_code`, in
any order (other columns are ignored); UTF-8 with or without a byte-order mark; any number of
rows, read as a stream. OUTPUT: the columns `id`, `chain`, `segment`, `score`, `evidence`, one
row per accepted assignment (score ≥ ACCEPT), best first, and one row with an empty `chain` and
`segment` for an enterprise that belongs to no chain. `evidence` joins the candidate's evidence
with "; ".

A problem (a missing column, a row with more or fewer cells than the header, an empty id, bytes
that are not UTF-8) raises `FileProblem`, which names the line of the file and says why in
Chinese and English; the caller then discards the partial output.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from parklink.chains.classify import ACCEPT, Classifier

REQUIRED = ("id", "name", "scope")
OPTIONAL = ("industry_code",)
OUTPUT = ("id", "chain", "segment", "score", "evidence")
# A scope may be long (the stream is not held whole): the csv module's field limit is raised
# while a file is read and put back afterwards, since it is the whole process's setting.
LONG_FIELD = min(sys.maxsize, 2**31 - 1)


class FileProblem(ValueError):
    def __init__(self, line: int, message_zh: str, message_en: str) -> None:
        self.line = line
        self.message_zh = message_zh
        self.message_en = message_en
        where_zh = f"第 {line} 行: " if line else ""
        where_en = f"line {line}: " if line else ""
        super().__init__(f"{where_zh}{message_zh} ({where_en}{message_en})")


@dataclass
class Summary:
    enterprises: int = 0
    assignments: int = 0
    unassigned: int = 0


class _Lines:
    """Decoded lines of a binary stream, counting bytes read and the line number."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.bytes_read = 0
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.bytes_read += len(raw)
            self.line += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FileProblem(
                    self.line,
                    f"不是 UTF-8 编码(第 {exc.start + 1} 个字节); 请另存为 UTF-8 的 CSV",
                    f"not UTF-8 (byte {exc.start + 1}); save the file as UTF-8 CSV",
                ) from exc
            if self.line == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text


def classify_stream(
    source: BinaryIO,
    target: TextIO,
    classifier: Classifier,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Read enterprises from `source`, write assignments to `target`; `progress(bytes, rows)`."""
    previous = csv.field_size_limit(LONG_FIELD)
    try:
        return _classify_stream(source, target, classifier, progress)
    finally:
        csv.field_size_limit(previous)


def _classify_stream(
    source: BinaryIO,
    target: TextIO,
    classifier: Classifier,
    progress: Callable[[int, int], None] | None,
) -> Summary:
    lines = _Lines(source)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem(1, "文件为空,缺少表头行", "the file is empty: no header row") from None
    names = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    for name in set(names):
        if name and names.count(name) > 1 and name in (*REQUIRED, *OPTIONAL):
            raise FileProblem(1, f"列“{name}”出现了两次", f"the column {name!r} appears twice")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise FileProblem(
            1,
            f"缺少列 {', '.join(missing)}(表头须含 id, name, scope, 可选 industry_code)",
            f"missing column {', '.join(missing)} (the header needs id, name, scope and "
            "optionally industry_code)",
        )
    at = {name: names.index(name) for name in (*REQUIRED, *OPTIONAL) if name in names}
    width = len(names)
    code_at = at.get("industry_code")
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(OUTPUT)
    summary = Summary()
    classify = classifier.classify
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != width:
            raise FileProblem(
                lines.line,
                f"有 {len(row)} 个单元格,表头有 {width} 列(引号未闭合或分隔符错误?)",
                f"{len(row)} cells where the header has {width} columns "
                "(an unclosed quote or a wrong separator?)",
            )
        enterprise = row[at["id"]].strip()
        if not enterprise:
            raise FileProblem(lines.line, "id 为空", "the id is empty")
        code = row[code_at] if code_at is not None else None
        candidates = [
            c for c in classify(row[at["name"]], row[at["scope"]], code) if c.score >= ACCEPT
        ]
        summary.enterprises += 1
        if candidates:
            summary.assignments += len(candidates)
            for candidate in candidates:
                writer.writerow(
                    (
                        enterprise,
                        candidate.chain,
                        candidate.segment,
                        f"{candidate.score:.4f}",
                        "; ".join(candidate.evidence),
                    )
                )
        else:
            summary.unassigned += 1
            writer.writerow((enterprise, "", "", "", ""))
        if progress is not None and summary.enterprises % 2000 == 0:
            progress(lines.bytes_read, summary.enterprises)
    if progress is not None:
        progress(lines.bytes_read, summary.enterprises)
    return summary
