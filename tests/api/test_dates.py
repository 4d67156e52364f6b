"""Dates in the API: ISO strings only, within the bounds of their kind (core.dates)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parklink.projects import services
from parklink.projects.models import Approval, FundsInPlace, Milestone


@pytest.fixture
def signed(make_project):  # type: ignore[no-untyped-def]
    return make_project("光伏组件项目", days_ago=10, total_investment=Decimal("100000000"))


def _post(client, path: str, payload: dict):  # type: ignore[no-untyped-def]
    return client.post(path, payload, content_type="application/json")


class TestIsoStringsOnly:
    def test_a_number_is_not_a_submission_date(self, client_for, signed):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/approvals",
            {"kind": "environmental", "status": "submitted", "submitted_on": 0},
        )
        assert response.status_code == 422
        assert not Approval.objects.filter(project=signed).exists()

    def test_a_tiny_float_does_not_complete_a_milestone_in_1970(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        milestone = Milestone.objects.create(project=signed, name="开工", due_on=today)
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/milestones/{milestone.pk}/complete",
            {"date": -7.96e-269},
        )
        assert response.status_code == 422
        milestone.refresh_from_db()
        assert milestone.done_on is None

    @pytest.mark.parametrize("text", ["2025-03-21T00:00", "20250321", "2025/03/21", "٢٠٢٥-٠٣-٢١"])
    def test_other_date_texts_are_422(self, client_for, signed, text):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": text, "amount": 100},
        )
        assert response.status_code == 422

    def test_the_openapi_document_says_iso_string(self, client) -> None:  # type: ignore[no-untyped-def]
        schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        received = schema["FundsIn"]["properties"]["received_on"]
        assert (received["type"], received["format"]) == ("string", "date")


class TestBounds:
    def test_a_stage_date_in_1900_is_400(self, client_for):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            "/api/v1/projects/",
            {"name": "百年项目", "region": "510106", "stage_date": "1900-01-01"},
        )
        assert response.status_code == 400
        assert response.json()["detail"] == {"stage_date": "阶段日期不能早于1949-10-01"}

    def test_funds_before_the_project_entered_the_library_are_400(self, client_for, signed):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": "1990-01-01", "amount_wan": 100},
        )
        assert response.status_code == 400
        entered = f"{signed.stage_since:%Y-%m-%d}"
        assert response.json()["detail"] == {
            "received_on": f"到位日期不能早于项目入库日期({entered})"
        }

    def test_a_milestone_due_beyond_ten_years_is_400(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/milestones",
            {"name": "达产", "due_on": (today + timedelta(days=3700)).isoformat()},
        )
        assert response.status_code == 400
        assert list(response.json()["detail"]) == ["due_on"]

    def test_a_park_established_in_2099_is_400(self, client_for):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            "/api/v1/parks/",
            {
                "name": "未来园区",
                "kind": "industrial_park",
                "region": "510106",
                "established": "2099-01-01",
            },
        )
        assert response.status_code == 400
        assert response.json()["detail"] == {"established": "设立日期不能晚于今天"}


class TestFundsAboveTheTotalInvestment:
    def test_unconfirmed_is_409_naming_both_totals(self, client_for, users, signed, today):  # type: ignore[no-untyped-def]
        services.add_funds(users["jinniu"], signed, today, Decimal("60000000"))
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": today.isoformat(), "amount_wan": 4001},
        )
        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "confirmation_required"
        assert body["detail"]["funds_total"] == "100010000.00"
        assert body["detail"]["total_investment"] == "100000000.00"
        assert FundsInPlace.objects.filter(project=signed).count() == 1

    def test_confirmed_is_recorded(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": today.isoformat(), "amount_wan": 10001, "confirm": True},
        )
        assert response.status_code == 201, response.content
        assert FundsInPlace.objects.filter(project=signed).count() == 1

    def test_up_to_the_total_needs_no_confirmation(self, client_for, signed, today):  # type: ignore[no-untyped-def]
        response = _post(
            client_for("jinniu"),
            f"/api/v1/projects/{signed.pk}/funds",
            {"received_on": today.isoformat(), "amount_wan": 10000},
        )
        assert response.status_code == 201, response.content
