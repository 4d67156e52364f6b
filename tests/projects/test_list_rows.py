"""The project list's rows, built in Python, are the markup the template used to build."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from parklink.accounts.models import User
from parklink.projects.list_rows import row_html
from parklink.projects.models import Project, ProjectTag
from tests.projects import projectworld
from tests.support import factories

pytestmark = pytest.mark.django_db

# The row as `projects/_results.html` rendered it before `list_rows` (the reference).
TEMPLATE_ROW = Template(
    """{% load i18n pipeline %}{% with p=row.project %}
      <tr data-project="{{ p.pk }}">
        <td>
          <a class="pl-table__primary" href="{% url 'projects:detail' p.pk %}">{{ p.name }}</a>
          <span class="pl-table__sub">{% if p.code_name %}{% translate "代号" %} {{ p.code_name }} · {% endif %}{{ p.owner.name }}{% for tag in p.tags.all %} · {{ tag.label }}{% endfor %}</span>
        </td>
        <td>{{ p.stage|stage_badge }}</td>
        <td>{{ row.colour|colour_badge }}{% for rule, label, reason in row.warnings %} <span class="pl-badge pl-badge--red" data-warning="{{ rule }}" title="{{ reason }}">{{ label }}</span>{% endfor %}</td>
        <td>{% if p.park %}{{ p.park.short_name|default:p.park.name }}{% else %}—{% endif %}<span class="pl-table__sub">{{ p.region.name }}</span></td>
        <td>{{ p.investor.name|default:"—" }}</td>
        <td>{{ p.sector|default:"—" }}</td>
        <td class="pl-num">{{ p.total_investment_text }}</td>
        <td class="pl-date">{{ p.signed_on|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>
        <td class="pl-date">{{ p.last_progress_on|date:"SHORT_DATE_FORMAT" }}</td>
        <td>{{ p.responsible_leader|default:"—" }}</td>
        <td>{{ p.maturity|default:"—" }}</td>
      </tr>
    {% endwith %}"""  # noqa: E501
)


class _Row:
    def __init__(self, project: Project, colour: str | None, warnings: list) -> None:  # type: ignore[type-arg]
        self.project, self.colour, self.warnings = project, colour, warnings


def _squeezed(html: str) -> str:
    """Markup without the whitespace between tags (the template's indentation)."""
    return re.sub(r">\s+<", "><", html.strip()).replace("\n", "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_rows_equal_the_templates_rows(
    users: dict[str, User], today: date, language: str
) -> None:
    world = projectworld.build(users, today)
    jinniu = users["jinniu"]
    ProjectTag.objects.get_or_create(code="key", defaults={"name": "重点项目"})
    odd = factories.project(
        jinniu,
        '<b>尖括号 & "引号"</b>项目',
        stage="started",
        on=today,
        code_name="代号<X>",
        sector="新能源&材料",
        responsible_leader="王'主任'",
        total_investment=Decimal("123456789.01"),
        tags=["key"],
    )
    bare = factories.project(jinniu, "无园区无投资方", stage="lead", on=today)
    projects = [*world.projects.values(), odd, bare]
    warnings = [("late", "签约未开工<3>", '理由 "甲" & 乙')]
    with translation.override(language):
        for index, project in enumerate(
            Project.objects.filter(pk__in=[p.pk for p in projects])
            .select_related("owner", "park", "region", "investor")
            .prefetch_related("tags")
        ):
            colour = [None, "red", "yellow", "stalled"][index % 4]
            shown = warnings if index % 2 else []
            expected = TEMPLATE_ROW.render(Context({"row": _Row(project, colour, shown)}))
            assert _squeezed(str(row_html(project, colour, shown))) == _squeezed(expected)


def test_the_list_page_shows_the_rows(users: dict[str, User], today: date) -> None:
    world = projectworld.build(users, today)
    client = Client()
    client.force_login(users["jinniu"])
    page = client.get("/projects/").content.decode()
    for project in world.projects.values():
        if project.owner_id == users["jinniu"].organization_id:
            assert f'<tr data-project="{project.pk}">' in page
            assert f'href="/projects/{project.pk}/"' in page
