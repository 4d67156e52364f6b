"""The demo's kpi step: the example schemes, illustrative targets and assessments."""

from __future__ import annotations

import pytest

from parklink.core.demo import load_demo
from parklink.kpi.models import Assessment, SchemeVersion, Target


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
    # Loading again changes nothing.
    load_demo()
    assert SchemeVersion.objects.count() == 3
