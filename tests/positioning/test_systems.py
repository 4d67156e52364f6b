"""Declared industry systems against the numbers: the pure comparison, and 张掖's "2+6" in the
demo on the page and the API (real database)."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import Client

from parklink.core.registry import DemoContext
from parklink.positioning import demo
from parklink.positioning.complexity import compute
from parklink.positioning.recommend import recommend
from parklink.positioning.systems import Declared, compare, covered
from tests.support import factories


class TestCompare:
    def test_codes_cover_industries_at_the_matrix_level(self) -> None:
        industries = ["13", "26", "27", "44", "65"]
        assert covered(["4415", "2710"], industries, 2) == ("27", "44")
        assert covered(["2"], industries, 2) == ("26", "27")
        assert covered(["99"], industries, 2) == ()

    def test_statuses(self) -> None:
        x = np.random.default_rng(8).lognormal(0, 1.5, (30, 12))
        codes = [f"{j + 10}" for j in range(12)]
        result = compute(x)
        absent = recommend(result, 2, codes).candidates()[-1].industry
        found = recommend(result, 2, codes, exclusions={absent: ["by_hand"]})
        present = next(i for i in found.items if i.present)
        candidates = found.candidates()
        declared = [
            Declared("has", "representative", (present.industry,)),
            Declared("best candidate", "foundational", (candidates[0].industry,)),
            Declared("gone", "foundational", (absent,)),
            Declared("absent", "foundational", ("99",)),
        ]
        verdicts, missing = compare(declared, found, codes, 2)
        assert verdicts[0].status == "specialised"
        assert verdicts[1].status in {"near", "far"} and verdicts[1].best == candidates[0]
        assert verdicts[2].status == "excluded" and verdicts[3].status == "unknown"
        assert (
            candidates[0] not in missing
            and missing == [c for c in candidates if c.industry != candidates[0].industry][:5]
        )


@pytest.mark.django_db
class TestZhangye:
    def test_the_2_plus_6_against_the_demo_numbers(self) -> None:
        ctx = DemoContext(admin=None)
        demo.load_dataset(ctx)
        gansu = ctx.lookup("positioning", "gansu")
        system = ctx.lookup("positioning", "zhangye")
        assert system.industries.count() == 8
        assert demo.ZHANGYE_QUOTE in system.source
        client = Client()
        client.force_login(factories.user("zy", factories.organization("张掖市投促局", "620700")))
        query = {"dataset": gansu.pk, "place": "620702", "measure": "count", "digits": 2}
        page = client.get("/positioning/", query)
        html = page.content.decode()
        assert page.status_code == 200 and f'data-system="{system.pk}"' in html
        rows = page.context["systems"][0]["rows"]
        assert [r["name"] for r in rows][:2] == ["氢能零碳产业", "国家玉米种子产业"]
        assert {r["status"] for r in rows} <= {"specialised", "near", "far", "excluded", "unknown"}
        seed = next(r for r in rows if r["name"] == "国家玉米种子产业")
        assert seed["status"] == "specialised"  # 甘州区's profile has corn seed (05)
        api = client_for_token(factories.user("zy2", factories.organization("甘州区", "620702")))
        body = api.get(
            "/api/v1/positioning/recommend", {"place": "620702", "dataset": gansu.pk}
        ).json()
        assert body["systems"][0]["name"] == system.name
        assert body["systems"][0]["industries"][1]["status"] == "specialised"


def client_for_token(user) -> Client:  # type: ignore[no-untyped-def]
    from parklink.accounts.services import create_token

    return Client(headers={"Authorization": f"Bearer {create_token(user)}"})
