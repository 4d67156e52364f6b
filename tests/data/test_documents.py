"""The demo's table of cited documents: every file the demo data cites has a title and date."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from parklink.core.sources import DOCUMENTS, document, documents

DEMO = DOCUMENTS.parent


def cited_files() -> set[str]:
    found: set[str] = set()
    for path in DEMO.glob("*.yaml"):
        found |= set(re.findall(r"file:\s*(\S+\.txt)", Path(path).read_text("utf-8")))
    return found


class TestDocuments:
    def test_every_cited_file_has_a_title_and_a_date(self) -> None:
        known = documents()
        assert cited_files() <= set(known)
        for entry in known.values():
            assert entry.title.strip()
            assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", entry.date), entry

    def test_the_table_lists_each_file_once(self) -> None:
        rows = yaml.safe_load(DOCUMENTS.read_text("utf-8"))
        files = [row["file"] for row in rows]
        assert len(files) == len(set(files))

    def test_an_unknown_file_has_no_entry(self) -> None:
        assert document("999_unknown.txt") is None
