"""List columns other apps register: annotations, sort keys and the `{% load columns %}` tags."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.db.models import F, Value
from django.template import Context, Template
from django.test import RequestFactory

from parklink.core.registry import ListColumn, registry

TARGET = "auth.group"


@pytest.fixture
def column() -> Iterator[ListColumn]:
    entry = registry.columns.add(
        ListColumn(
            TARGET,
            "doubled",
            "两倍",
            lambda user: F("base") * 2,
            requires=lambda user: {"base": Value(21)},
            sort="double",
            css_class="pl-num",
        )
    )
    yield entry
    registry.columns.remove(f"{TARGET}:doubled")


def render(source: str, **context: object) -> str:
    request = RequestFactory().get("/groups/?page=2")
    return Template("{% load columns %}" + source).render(Context({"request": request, **context}))


@pytest.mark.django_db
class TestApply:
    def test_required_annotations_come_first_and_the_column_may_use_them(
        self, column: ListColumn
    ) -> None:
        Group.objects.create(name="g")
        row = column.apply(Group.objects.all(), None).get()
        assert (row.base, row.doubled) == (21, 42)

    def test_sortable_columns_map_their_sort_key_to_the_annotation(
        self, column: ListColumn
    ) -> None:
        assert registry.column_sorts(Group) == {"double": "doubled"}


class TestTags:
    def test_header_of_a_sortable_column_is_a_sort_link(self, column: ListColumn) -> None:
        html = render("{% column_header column %}", column=column, sort="")
        assert html.startswith('<th class="pl-num"><a class="pl-sort pl-sort--none"')
        assert 'href="?sort=-double"' in html and ">两倍<" in html

    def test_header_of_another_column_is_its_label(self) -> None:
        plain = ListColumn(TARGET, "n", "<b>数</b>", lambda user: Value(1))
        assert render("{% column_header column %}", column=plain) == (
            "<th>&lt;b&gt;数&lt;/b&gt;</th>"
        )

    def test_default_cell_shows_the_rows_value_escaped(self, column: ListColumn) -> None:
        row = Group(name="g")
        row.doubled = "<i>42</i>"  # type: ignore[attr-defined]
        html = render("{% column_cell column row %}", column=column, row=row)
        assert html.strip() == '<td class="pl-num">&lt;i&gt;42&lt;/i&gt;</td>'
