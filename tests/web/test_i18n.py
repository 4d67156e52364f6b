"""Translations: the English catalogue is complete and compiled; pages and dates follow it."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from parklink.accounts.models import User

CATALOGUE = Path(settings.PACKAGE_DIR) / "locale" / "en" / "LC_MESSAGES"
_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


@dataclass
class Entry:
    """One message of a .po file, with its flags (`fuzzy`, `python-format`)."""

    fields: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for key, value in self.fields.items() if key.startswith("msgstr")]


def read_po(path: Path) -> list[Entry]:
    """Parse the .po format just far enough to check every entry (obsolete ones excluded)."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, current = Entry(), ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := _FIELD.match(line):
                current = match.group(1)
                entry.fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"'):
                entry.fields[current] += ast.literal_eval(line)
        if entry.fields:
            entries.append(entry)
    return entries


def messages() -> list[Entry]:
    return [entry for entry in read_po(CATALOGUE / "django.po") if entry.msgid]


def _compiled(compiled: gettext.GNUTranslations, entry: Entry) -> str:
    """The compiled translation of a singular entry, looked up in its context if it has one."""
    context = entry.fields.get("msgctxt")
    return compiled.pgettext(context, entry.msgid) if context else compiled.gettext(entry.msgid)


def placeholders(text: str) -> set[str]:
    """Python placeholders and the {a}…{d} of ECharts formatters."""
    return set(re.findall(r"%\(\w+\)[sd]|%%|\{[a-e]\}", text))


class TestEnglishCatalogue:
    def test_catalogue_has_messages(self) -> None:
        assert len(messages()) > 100

    def test_every_message_has_an_english_translation(self) -> None:
        untranslated = [e.msgid for e in messages() if not all(t.strip() for t in e.translations)]
        assert untranslated == []

    def test_no_translation_is_fuzzy(self) -> None:
        entries = read_po(CATALOGUE / "django.po")
        assert [e.msgid for e in entries if "fuzzy" in e.flags] == []

    def test_translations_are_not_left_in_chinese(self) -> None:
        # Chinese examples quoted from the source ("如“什邡市”") may stay; nothing else may.
        han = re.compile(r"[\u4e00-\u9fff]+")
        chinese = [
            e.msgid
            for e in messages()
            for t in e.translations
            if any(run not in e.msgid for run in han.findall(t))
        ]
        assert chinese == []

    def test_translations_keep_every_placeholder(self) -> None:
        broken = [
            e.msgid
            for e in messages()
            if any(placeholders(t) != placeholders(e.msgid) for t in e.translations)
        ]
        assert broken == []

    def test_compiled_catalogue_matches_the_po_file(self) -> None:
        with (CATALOGUE / "django.mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        stale = [
            e.msgid
            for e in messages()
            if "msgid_plural" not in e.fields and _compiled(compiled, e) != e.fields["msgstr"]
        ]
        assert stale == []


SOURCE = Path(settings.PACKAGE_DIR)
_TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+(?:"([^"]+)"|'([^']+)')(?=[\s%])""")
_PYTHON_STRING = re.compile(
    r"""\b(?:_|gettext|gettext_lazy)\(\s*(?:"([^"\\]+)"|'([^'\\]+)')\s*[,)]"""
)


def source_strings() -> dict[str, str]:
    """Simple one-literal messages in templates and Python code, each with one place it is used."""
    found: dict[str, str] = {}
    files = [*SOURCE.rglob("templates/**/*.html"), *SOURCE.rglob("*.py")]
    for path in files:
        if "migrations" in path.parts:
            continue
        pattern = _TEMPLATE_STRING if path.suffix == ".html" else _PYTHON_STRING
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) or match.group(2)
            if path.suffix == ".html":
                text = text.replace("%", "%%")  # how makemessages writes template strings
            found.setdefault(text, str(path.relative_to(SOURCE)))
    return found


class TestCatalogueIsCurrent:
    def test_every_message_in_the_code_is_in_the_catalogue(self) -> None:
        """Fails when a string was added without re-running makemessages (docs/i18n.md)."""
        known = {e.msgid for e in messages()}
        missing = {text: where for text, where in source_strings().items() if text not in known}
        assert missing == {}

    def test_the_scan_finds_messages(self) -> None:
        assert {"搜索", "确认导入", "项目名称"} <= set(source_strings())


@pytest.mark.django_db
class TestLanguageOfPages:
    def logged_in(self, users: dict[str, User]) -> Client:
        client = Client()
        client.force_login(users["jinniu"])
        return client

    def test_page_is_chinese_by_default(self, users: dict[str, User]) -> None:
        body = self.logged_in(users).get(reverse("search")).content.decode()
        assert "请输入要查找的名称。" in body
        assert 'lang="zh-hans"' in body

    def test_page_rendered_in_english_shows_english_labels(self, users: dict[str, User]) -> None:
        client = self.logged_in(users)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = client.get(reverse("search"), {"q": "不存在"}).content.decode()
        assert "Found 0 results for “不存在”" in body
        assert "Nothing matches." in body
        assert "请输入要查找的名称" not in body

    def test_language_switcher_changes_and_restores_the_language(
        self, users: dict[str, User]
    ) -> None:
        client = self.logged_in(users)
        client.post(reverse("set_language"), {"language": "en", "next": reverse("search")})
        assert "Type a name to search for." in client.get(reverse("search")).content.decode()
        client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("search")})
        assert "请输入要查找的名称。" in client.get(reverse("search")).content.decode()

    def test_model_labels_are_translated(self) -> None:
        from parklink.projects.models import Project, ProjectStage

        with translation.override("en"):
            assert str(Project._meta.get_field("total_investment").verbose_name) == (
                "Total investment (yuan)"
            )
            assert str(ProjectStage.UNDER_CONSTRUCTION.label) == "Under construction"


class TestDates:
    def render(self, language: str) -> str:
        with translation.override(language):
            return Template("{{ day|date }}").render(Context({"day": date(2025, 3, 21)}))

    def test_dates_are_chinese_in_zh_hans(self) -> None:
        assert self.render("zh-hans") == "2025年3月21日"

    def test_dates_are_english_in_english(self) -> None:
        assert self.render("en") == "March 21, 2025"


def test_english_brand_is_not_doubled(client, users):  # type: ignore[no-untyped-def]
    client.force_login(users["jinniu"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ParkLink</span><small>ParkLink" not in page and "ParkLink" in page
