"""The demo's kpi step: the example schemes, illustrative targets and assessments."""

from __future__ import annotations

import pytest

from parklink.core.demo import load_demo
from parklink.kpi.models import (
    Assessment,
    Department,
    DepartmentMember,
    HelpRequest,
    LiaisonOffice,
    SchemeVersion,
    Survey,
    SurveyRecipient,
    Target,
)
from parklink.kpi.services import surveys


@pytest.mark.django_db
def test_demo_assesses_the_demo_organisations() -> None:
    report = load_demo()
    assert report.created["kpi targets"] == Target.objects.count() > 0
    assert set(SchemeVersion.objects.values_list("key", flat=True)) == {
        "chenzhou-hitech",
        "city-districts",
        "county-introduced",
    }
    assert not Target.objects.filter(illustrative=False).exists()
    dege = Assessment.objects.get(organization__name="德格县人民政府", period="2025Q1")
    # The five aid projects signed on 2025-03-21 count (on the ledger since signing).
    assert dege.figures["signed_count"] == "5"
    assert dege.scheme.illustrative and dege.result["items"]
    assert Assessment.objects.filter(period="2024Q4", scheme__key="county-introduced").exists()
    _the_resumption_survey_reproduces_the_article()
    # 张掖: the three liaison points the article names, with its sentence (11 cities, 12 parks).
    offices = LiaisonOffice.objects.filter(organization__name="张掖经开区管委会")
    assert offices.count() == 3 and {o.region.name for o in offices if o.region} == {
        "上海市",
        "广州市",
        "成都市",
    }
    assert all("11个城市" in o.source_quote and "12家" in o.source_quote for o in offices)
    # Loading again changes nothing.
    counts = _counts()
    load_demo()
    assert SchemeVersion.objects.count() == 3
    assert _counts() == counts


def _counts() -> tuple[int, ...]:
    return (
        Target.objects.count(),
        Assessment.objects.count(),
        Survey.objects.count(),
        SurveyRecipient.objects.count(),
        HelpRequest.objects.count(),
        LiaisonOffice.objects.count(),
        Department.objects.count(),
        DepartmentMember.objects.count(),
    )


def _the_resumption_survey_reproduces_the_article() -> None:
    """德阳高新区: 350余家 resumed, 96%, 100% for 规上 and key projects; answers illustrative."""
    survey = Survey.objects.get(owner__name="德阳高新区管委会")
    assert survey.illustrative and "350余家" in survey.source_note
    found = surveys.rates(survey)
    resumed = found[("all", "resumption")]
    assert len(resumed.counted) > 350
    assert f"{resumed.value * 100:.0f}" == "96"
    assert found[("above_scale", "resumption")].value == 1
    assert found[("key_projects", "resumption")].value == 1
    assert found[("key_projects", "resumption")].base  # not an empty group
    assert not survey.recipients.filter(illustrative=False).exists()
    # The article's own firms are among the recipients, and all of them resumed.
    real = survey.recipients.exclude(enterprise=None)
    assert real.exists() and not real.exclude(status__in=["resumed", "partial"]).exists()
    assert HelpRequest.objects.filter(survey=survey, illustrative=True).exists()


@pytest.mark.django_db
def test_demo_department_shows_the_pipeline_figures(client) -> None:  # type: ignore[no-untyped-def]
    """招商一局 of 成都高新区 (示例数据): its member leads the organisation's demo projects, so its
    page shows the two projects signed on 2025-03-21 against its illustrative targets."""
    from parklink.accounts.models import User

    load_demo()
    department = Department.objects.get(organization__name="成都高新区管委会", name="招商一局")
    assert "示例数据" in department.note
    member = DepartmentMember.objects.get(department=department).user
    assert member.username == "cdht_committee"
    goals = Target.objects.filter(department=department, period="2025Q1")
    assert goals.count() == 2 and all(t.illustrative for t in goals)
    client.force_login(member)
    page = client.get(f"/kpi/departments/{department.pk}/?period=2025Q1")
    assert page.status_code == 200
    text = page.content.decode()
    assert "3D打印设备及其工艺控制数字系统的研发与产业化基地项目" in text
    assert "一氧化二氮高纯特种气体项目" in text
    # Another organisation's officer cannot see it.
    client.logout()
    client.force_login(User.objects.get(username="dege_gov"))
    assert client.get(f"/kpi/departments/{department.pk}/?period=2025Q1").status_code == 404
