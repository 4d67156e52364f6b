"""Investment figures keep the article's qualifier: 超10亿元, 约2亿元, on every page and total."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from parklink.accounts.models import User
from parklink.projects.amounts import (
    Qualifier,
    combine,
    format_qualified,
    read_qualifier,
    sum_qualified,
)
from parklink.projects.exports import export_projects
from parklink.projects.imports import import_projects
from parklink.projects.models import Project
from parklink.projects.queries import ProjectFilters
from tests.support import factories

YI = Decimal(100_000_000)


# ---------------------------------------------------------------- pure


def test_a_qualified_figure_reads_as_the_article_wrote_it() -> None:
    assert format_qualified(10 * YI, "at_least") == "超10亿元"
    assert format_qualified(2 * YI, Qualifier.ABOUT) == "约2亿元"
    assert format_qualified(Decimal("5600") * 10_000, "exact") == "5,600万元"
    assert format_qualified(10 * YI, "at_least", language="en") == "over ¥1 bn"
    assert format_qualified(2 * YI, "about", language="en") == "about ¥200 m"
    assert format_qualified(None, "at_least") == "—"
    assert format_qualified(YI, "") == "1亿元"  # blank reads as exact


def test_the_words_of_the_articles_name_their_qualifier() -> None:
    for word in ("超", "以上", "逾", "超过", "不低于"):
        assert read_qualifier(word) is Qualifier.AT_LEAST
    for word in ("约", "近", "左右"):
        assert read_qualifier(word) is Qualifier.ABOUT
    assert read_qualifier("") is Qualifier.EXACT
    assert read_qualifier("大概吧") is None


def test_a_sum_with_a_lower_bound_is_a_lower_bound_and_with_an_estimate_approximate() -> None:
    assert combine(["exact", "exact"]) is Qualifier.EXACT
    assert combine(["exact", "about"]) is Qualifier.ABOUT
    assert combine(["about", "at_least", "exact"]) is Qualifier.AT_LEAST
    total, qualifier = sum_qualified([(10 * YI, "at_least"), (2 * YI, "exact"), (None, "about")])
    assert (total, qualifier) == (12 * YI, Qualifier.AT_LEAST)
    assert sum_qualified([]) == (None, Qualifier.EXACT)


# ---------------------------------------------------------------- the library


@pytest.fixture
def bounded(users: dict[str, User]) -> dict[str, Project]:
    zhangye = users["zhangye"]
    return {
        "longyuan": factories.project(
            zhangye,
            "龙源碳中和产业基地",
            total_investment=10 * YI,
            total_investment_qualifier="at_least",
        ),
        "silicon": factories.project(
            zhangye,
            "黑河水电17万吨硅系新材料项目",
            total_investment=2 * YI,
            total_investment_qualifier="about",
            phase_investment=YI,
            phase_investment_qualifier="at_least",
        ),
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_pages_show_the_qualifier(users: dict[str, User], bounded: dict[str, Project]) -> None:
    client = _client(users["zhangye"])
    listing = client.get(reverse("projects:list")).content.decode()
    assert "超10亿元" in listing and "约2亿元" in listing
    page = client.get(reverse("projects:detail", args=[bounded["silicon"].pk])).content.decode()
    assert "约2亿元" in page and "超1亿元" in page
    english = client.get(
        reverse("projects:detail", args=[bounded["longyuan"].pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "over ¥1 bn" in english.content.decode()


@pytest.mark.django_db
def test_the_form_edits_the_qualifier(users: dict[str, User], bounded: dict[str, Project]) -> None:
    project = bounded["longyuan"]
    client = _client(users["zhangye"])
    form = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'name="total_investment_qualifier"' in form
    data = {
        "name": project.name,
        "region_text": "620702",
        "total_investment_wan": "100000",
        "total_investment_qualifier": "about",
        "phase_investment_qualifier": "",
    }
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code in (200, 302)
    project.refresh_from_db()
    assert project.total_investment_qualifier == "about"
    assert project.phase_investment_qualifier == "exact"  # blank is exact


@pytest.mark.django_db
def test_api_reads_and_writes_the_qualifier(
    users: dict[str, User], bounded: dict[str, Project], api_client
) -> None:  # type: ignore[no-untyped-def]
    client = api_client(users["zhangye"])
    body = client.get(f"/api/v1/projects/{bounded['silicon'].pk}").json()
    assert body["total_investment_qualifier"] == "about"
    assert body["total_investment_display"] == "约2亿元"
    assert body["phase_investment_display"] == "超1亿元"
    patched = client.patch(
        f"/api/v1/projects/{bounded['silicon'].pk}",
        {"total_investment_qualifier": "at_least"},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["total_investment_display"] == "超2亿元"
    wrong = client.patch(
        f"/api/v1/projects/{bounded['silicon'].pk}",
        {"total_investment_qualifier": "roughly"},
        content_type="application/json",
    )
    assert wrong.status_code == 422


@pytest.mark.django_db
def test_export_writes_the_qualifier_and_the_total_and_reimports(
    users: dict[str, User], bounded: dict[str, Project], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data = export_projects(users["zhangye"], ProjectFilters())
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("总投资口径")
    values = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert values["龙源碳中和产业基地"] == "以上(下限)"
    assert values["黑河水电17万吨硅系新材料项目"] == "约数"
    notes = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows() if row[0].value}
    assert notes["总投资合计"] == "超12亿元"
    path = tmp_path / "again.xlsx"
    path.write_bytes(data)
    Project.objects.all().delete()
    report = import_projects(users["zhangye"], path)
    assert report.created == 2, report
    again = Project.objects.get(name="黑河水电17万吨硅系新材料项目")
    assert (again.total_investment_qualifier, again.phase_investment_qualifier) == (
        "about",
        "at_least",
    )


@pytest.mark.django_db
def test_import_reads_the_articles_words_and_refuses_others(
    users: dict[str, User], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(["项目名称", "落地行政区", "总投资(亿元)", "总投资口径"])
    sheet.append(["甲项目", "620702", 10, "以上"])
    sheet.append(["乙项目", "620702", 2, "左右"])
    sheet.append(["丙项目", "620702", 3, ""])
    path = tmp_path / "q.xlsx"
    book.save(path)
    report = import_projects(users["zhangye"], path)
    assert report.created == 3, report
    got = dict(Project.objects.values_list("name", "total_investment_qualifier"))
    assert got == {"甲项目": "at_least", "乙项目": "about", "丙项目": "exact"}
    sheet.append(["丁项目", "620702", 3, "大概"])
    book.save(path)
    Project.objects.all().delete()
    refused = import_projects(users["zhangye"], path)
    assert refused.created == 0
    problem = [p for p in refused.problems if p.row == 5]
    assert problem and "总投资口径" in str(problem[0].column)
    assert Project.objects.count() == 0
