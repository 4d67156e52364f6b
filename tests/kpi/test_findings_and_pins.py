"""Findings entered by assessors on a page; query-count pins on every kpi page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.kpi.engine import periods
from parklink.kpi.models import Finding
from parklink.kpi.services import actuals, findings, schemes
from parklink.kpi.services import assess as assessing
from parklink.kpi.services.schemes import get_version
from tests.kpi.support import World

pytestmark = pytest.mark.django_db


def test_assessors_record_findings_with_evidence(world: World) -> None:
    alpha = world.projects["alpha"]
    with pytest.raises(Invalid) as caught:
        findings.record(world.city, alpha, "falsified", None, "", "")
    assert set(caught.value.detail) == {"noted_on", "note", "evidence"}
    # A sibling county may not judge 金牛区's project; an outsider cannot even see it.
    with pytest.raises((Forbidden, NotFound)):
        findings.record(
            world.jinniu, world.projects["qbj"], "falsified", date(2025, 2, 1), "虚报", "核查记录"
        )
    with pytest.raises(NotFound):
        findings.record(world.outsider, alpha, "falsified", date(2025, 2, 1), "虚报", "核查记录")
    made = findings.record(
        world.city,
        alpha,
        "falsified",
        date(2025, 2, 1),
        "虚报投资额",
        "2025-02-01 现场核查记录第3号",
    )
    assert made.noted_by == world.orgs["city"] and made.recorded_by == world.city
    q1 = periods.parse("2025Q1")
    org = world.orgs["jinniu"].pk
    assert actuals.figures(world.city, [org], q1)[org]["falsified"] == 1
    findings.record(world.city, alpha, "overdue", date(2025, 3, 1), "超期未开工", "督查通报")
    assert actuals.figures(world.city, [org], q1)[org]["falsified"] == 1  # overdue is not 弄虚作假


def test_findings_page(world: World) -> None:
    client = Client()
    client.force_login(world.city)
    url = reverse("kpi:findings")
    bad = client.post(url, {"project": "没有的项目", "kind": "falsified", "noted_on": "2025-02-30"})
    text = bad.content.decode()
    assert bad.status_code == 200 and "找不到项目" in text and "有效的日期" in text
    done = client.post(
        url,
        {"project": "新材料产业园", "kind": "falsified", "noted_on": "2025-02-01",
         "note": "虚报", "evidence": "核查记录"},
    )  # fmt: skip
    assert done.status_code == 302 and Finding.objects.count() == 1
    assert "核查记录" in client.get(url).content.decode()
    client.force_login(world.outsider)
    assert "核查记录" not in client.get(url).content.decode()


def test_kpi_pages_have_pinned_query_counts(
    world: World, django_assert_max_num_queries: Any
) -> None:
    schemes.load_shipped()
    version = get_version(schemes.SchemeVersion.objects.all(), "city-districts")
    saved = assessing.assess(world.city, version, periods.parse("2025Q1"))
    from parklink.kpi.services import departments
    from parklink.projects.models import Project

    dept = departments.save_department(world.jinniu, None, name="招商一局")
    departments.set_members(world.jinniu, dept, [world.jinniu])
    Project.objects.filter(owner=world.orgs["jinniu"]).update(leader_user=world.jinniu)
    client = Client()
    client.force_login(world.city)
    org = world.orgs["jinniu"].pk
    pins = {
        reverse("kpi:departments"): 8,
        reverse("kpi:department", args=[dept.pk]) + "?period=2025Q1": 26,
        reverse("kpi:ranking")
        + f"?scheme=city-districts&period=2025Q1&subject=department&org={org}": 30,
        reverse("kpi:ranking") + "?scheme=city-districts&period=2025Q1": 30,
        reverse("kpi:assessment", args=[saved[0].pk]): 12,
        reverse("kpi:figure", args=[org, "signed_count"]) + "?period=2025Q1": 14,
        reverse("kpi:figure", args=[org, "funds_foreign"]) + "?period=2025Q1": 16,
        reverse("kpi:schemes"): 8,
        reverse("kpi:scheme", args=["city-districts"]) + "?period=2025Q1": 30,
        reverse("kpi:scheme_edit") + "?from=city-districts": 8,
        reverse("kpi:targets"): 8,
        reverse("kpi:reports"): 12,
        reverse("kpi:rates"): 8,
        reverse("kpi:findings"): 10,
        reverse("kpi:offices"): 12,
        reverse("kpi:surveys"): 10,
        reverse("kpi:helps"): 10,
    }
    for url, most in pins.items():
        with django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200, url
