"""API writes where the pages write: surveys (define, change, recipients, links, officers'
answers), liaison offices and their staff, and the exchange-rate table. The same services and
errors as the pages: 400 naming the field, 403 for a record the caller may read but not
change, 404 for one it may not see; a refused write changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parklink.accounts.models import Organization, User
from parklink.kpi.models import ExchangeRate, HelpRequest, LiaisonOffice, Survey
from parklink.kpi.services import surveys as service
from tests.kpi.support import World
from tests.kpi.test_liaison import offices  # noqa: F401  (a fixture)
from tests.kpi.test_surveys import answer_raw, setup  # noqa: F401  (a fixture)
from tests.support import factories

pytestmark = pytest.mark.django_db

Api = Callable[[User], Client]


def closes() -> str:
    return (timezone.localdate() + timedelta(days=10)).isoformat()


def snapshot(survey: Survey) -> tuple[Any, ...]:
    survey.refresh_from_db()
    rows = tuple(
        survey.recipients.order_by("pk").values_list("pk", "status", "answers", "link_nonce")
    )
    return (survey.title, survey.closes_on, survey.questions, rows, HelpRequest.objects.count())


# ------------------------------------------------------------------------------- surveys


def test_a_survey_is_defined_through_the_api_and_checked_like_the_page(
    setup: dict[str, Any],  # noqa: F811
    api_client: Api,
    orgs: dict[str, Organization],
) -> None:
    officer = setup["officer"]
    own = api_client(officer)
    made = own.post(
        "/api/v1/kpi/surveys",
        {
            "title": "青白江运行监测",
            "period": "2025-05",
            "closes_on": closes(),
            "park": setup["park"].pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["owner"]["id"] == orgs["qingbaijiang"].pk and body["period"] == "2025-05"
    assert body["questions"][0]["type"] == "status"  # the kind's default questions
    before = Survey.objects.count()
    bad = own.post(
        "/api/v1/kpi/surveys",
        {"title": " ", "period": "2025-13", "closes_on": closes()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()["detail"]) == {"title", "period"}
    bad = own.post(
        "/api/v1/kpi/surveys",
        {
            "title": "坏问题",
            "period": "2025-05",
            "closes_on": closes(),
            "questions": [{"key": "x", "type": "capacity", "label": "产能"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "questions" in bad.json()["detail"]
    bad = own.post(
        "/api/v1/kpi/surveys",
        {"title": "无园区", "period": "2025-05", "closes_on": closes(), "park": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()["detail"]) == {"park"}
    bad = own.post(
        "/api/v1/kpi/surveys",
        {"title": "长" * 201, "period": "2025-05", "closes_on": closes()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()["detail"]) == {"title"}
    # A reader of the organisation may not define one.
    reader = factories.user("qbj_reader", orgs["qingbaijiang"], role="viewer")
    refused = api_client(reader).post(
        "/api/v1/kpi/surveys",
        {"title": "只读者的调查", "period": "2025-05", "closes_on": closes()},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Survey.objects.count() == before


def test_recipients_links_and_answers_through_the_api(
    setup: dict[str, Any],  # noqa: F811
    api_client: Api,
    orgs: dict[str, Organization],
) -> None:
    survey, officer = setup["survey"], setup["officer"]
    own = api_client(officer)
    base = f"/api/v1/kpi/surveys/{survey.pk}"
    added = own.post(
        f"{base}/recipients", {"audience": "park_key"}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["added"] == 3  # the survey's own park
    picked = own.post(
        f"{base}/recipients",
        {"audience": "picked", "enterprises": [setup["small"].pk, 999999]},
        content_type="application/json",
    )
    assert picked.status_code == 400 and set(picked.json()["detail"]) == {"enterprises"}
    assert survey.recipients.count() == 3
    by_name = {r.name: r for r in survey.recipients.all()}
    target = by_name["链主乙公司"]
    # Sending: a one-time link; a second one replaces it.
    link = own.post(f"{base}/recipients/{target.pk}/link")
    assert link.status_code == 201 and "/kpi/s/" in link.json()["url"]
    token = link.json()["url"].rstrip("/").rsplit("/", 1)[-1]
    assert service.read_link(token).pk == target.pk
    # An officer enters the answers; the problem becomes a 诉求 with an owner and a deadline.
    raw = answer_raw("not_resumed", "0", [{"category": "labour", "text": "返岗人员不足"}])
    answered = own.put(
        f"{base}/recipients/{target.pk}/answers", {"answers": raw}, content_type="application/json"
    )
    assert answered.status_code == 200, answered.content
    row = next(r for r in answered.json()["recipients"] if r["id"] == target.pk)
    assert row["status"] == "not_resumed" and row["answered_via_link"] is False
    assert [h["text"] for h in answered.json()["help_requests"]] == ["返岗人员不足"]
    help_request = HelpRequest.objects.get()
    assert help_request.assignee == officer and help_request.due_on > timezone.localdate()
    # A bad answer is a 400 naming the question, and changes nothing.
    kept = snapshot(survey)
    bad = own.put(
        f"{base}/recipients/{target.pk}/answers",
        {"answers": answer_raw("满负荷", "0")},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()["detail"]) == {"status"}
    assert snapshot(survey) == kept
    # An answered recipient stays; an unanswered one may be removed.
    assert own.delete(f"{base}/recipients/{target.pk}").status_code == 400
    spare = by_name["投资丁公司"]
    assert own.delete(f"{base}/recipients/{spare.pk}").status_code == 204
    assert not survey.recipients.filter(pk=spare.pk).exists()
    assert own.delete(f"{base}/recipients/{spare.pk}").status_code == 404
    # The questions change only before anyone answered; the title whenever.
    kept = snapshot(survey)
    locked = own.patch(
        base,
        {"questions": [{"key": "status", "type": "status", "label": "状态"}]},
        content_type="application/json",
    )
    assert locked.status_code == 400 and set(locked.json()["detail"]) == {"questions"}
    assert snapshot(survey) == kept
    renamed = own.patch(
        base, {"title": "青白江复工复产调查(四月)"}, content_type="application/json"
    )
    assert renamed.status_code == 200 and renamed.json()["title"] == "青白江复工复产调查(四月)"


def test_no_one_else_writes_a_survey(
    setup: dict[str, Any],  # noqa: F811
    api_client: Api,
    orgs: dict[str, Organization],
) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "park_key", setup["park"])
    recipient = survey.recipients.order_by("pk").first()
    assert recipient is not None
    base = f"/api/v1/kpi/surveys/{survey.pk}"
    kept = snapshot(survey)
    writes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("patch", base, {"title": "改名"}),
        ("post", f"{base}/recipients", {"audience": "picked", "enterprises": [setup["small"].pk]}),
        ("post", f"{base}/recipients/{recipient.pk}/link", None),
        (
            "put",
            f"{base}/recipients/{recipient.pk}/answers",
            {"answers": answer_raw("resumed", "90")},
        ),
        ("delete", f"{base}/recipients/{recipient.pk}", None),
    ]

    def attempt(client: Client) -> list[int]:
        codes = []
        for method, url, body in writes:
            call = getattr(client, method)
            response = call(url, body, content_type="application/json") if body else call(url)
            codes.append(response.status_code)
        return codes

    # 金牛区 (another county) neither reads nor changes it: 404 throughout.
    stranger = factories.user("jn_w", orgs["jinniu"])
    other = api_client(stranger)
    assert other.get(base).status_code == 404
    assert attempt(other) == [404] * len(writes)
    # 成都市 (above) reads it but may not change it; a reader of 青白江 neither.
    city = factories.user("city_w", orgs["city"])
    assert api_client(city).get(base).status_code == 200
    assert attempt(api_client(city)) == [403] * len(writes)
    reader = factories.user("qbj_r", orgs["qingbaijiang"], role="viewer")
    assert attempt(api_client(reader)) == [403] * len(writes)
    assert snapshot(survey) == kept


# ------------------------------------------------------------------------- liaison offices


def office_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "city_office",
        "name": "金牛区驻广州联络点",
        "region": "440100",
        "staff": [],
        "staff_names": "王五",
        "since": "2024-06-01",
    }
    body.update(changes)
    return body


def office_state(office: LiaisonOffice) -> tuple[Any, ...]:
    office.refresh_from_db()
    staff = tuple(office.staff.order_by("pk").values_list("pk", flat=True))
    return (office.kind, office.name, office.region_id, office.park_id, office.staff_names, staff)


def test_offices_are_created_and_changed_through_the_api(
    world: World,
    offices: dict[str, LiaisonOffice],  # noqa: F811
    api_client: Api,
) -> None:
    own = api_client(world.jinniu)
    colleague = factories.user("jinniu_2", world.orgs["jinniu"])
    made = own.post(
        "/api/v1/kpi/offices",
        office_body(staff=[world.jinniu.pk, colleague.pk]),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["organization"]["id"] == world.orgs["jinniu"].pk and body["region"] == "440100"
    assert body["staff"] == ["jinniu", "jinniu_2"] and body["since"] == "2024-06-01"
    count = LiaisonOffice.objects.count()
    # Each problem is named by its field; nothing is created.
    for bad, fields in (
        (office_body(name="", region=None), {"name", "region"}),
        (office_body(name="驻点组", kind="resident_team", region=None), {"park"}),
        (office_body(name="金牛区驻上海联络点"), {"name"}),  # the fixture's office
        (office_body(name="新联络点", region="999999"), {"region"}),
        (office_body(name="新联络点", staff=[world.qingbaijiang.pk]), {"staff"}),
        (office_body(name="新联络点", staff=[999999]), {"staff"}),
    ):
        refused = own.post("/api/v1/kpi/offices", bad, content_type="application/json")
        assert refused.status_code == 400, bad
        assert set(refused.json()["detail"]) == fields, bad
    assert LiaisonOffice.objects.count() == count
    # Changing an office: staff replaced, the article's quote and the illustrative mark kept.
    office = offices["shanghai"]
    LiaisonOffice.objects.filter(pk=office.pk).update(source_quote="原文", illustrative=True)
    changed = own.put(
        f"/api/v1/kpi/offices/{office.pk}",
        office_body(name="金牛区驻上海联络处", region="310000", staff=[colleague.pk]),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["staff"] == ["jinniu_2"] and changed.json()["illustrative"] is True
    office.refresh_from_db()
    assert office.name == "金牛区驻上海联络处" and office.source_quote == "原文"


def test_no_one_else_writes_an_office(
    world: World,
    offices: dict[str, LiaisonOffice],  # noqa: F811
    api_client: Api,
) -> None:
    office = offices["shanghai"]  # 金牛区's
    url = f"/api/v1/kpi/offices/{office.pk}"
    kept = office_state(office)
    count = LiaisonOffice.objects.count()
    change = office_body(name="被改名", region="310000")
    # 青白江区 (another county) and 张掖 neither read nor change it.
    for user in (world.qingbaijiang, world.outsider):
        other = api_client(user)
        assert other.get(url, {"period": "2025Q1"}).status_code == 404
        assert other.put(url, change, content_type="application/json").status_code == 404
    # 成都市 (above) reads it but may not change it; a reader of 金牛区 may not either.
    city = api_client(world.city)
    assert city.get(url, {"period": "2025Q1"}).status_code == 200
    assert city.put(url, change, content_type="application/json").status_code == 403
    reader = api_client(factories.user("jn_reader", world.orgs["jinniu"], role="viewer"))
    assert reader.put(url, change, content_type="application/json").status_code == 403
    made = reader.post("/api/v1/kpi/offices", office_body(), content_type="application/json")
    assert made.status_code == 403
    assert office_state(office) == kept and LiaisonOffice.objects.count() == count


# --------------------------------------------------------------------------- exchange rates


def test_rates_are_read_by_anyone_and_written_by_installation_administrators(
    world: World, api_client: Api
) -> None:
    admin = User.objects.create_superuser("fx_admin", "fx@parklink.invalid", "x-pass-123")
    ExchangeRate.objects.create(month="2025-01", rate="7.1000", source="示例", entered_by=admin)
    officer = api_client(world.jinniu)
    listed = officer.get("/api/v1/kpi/rates")
    assert listed.status_code == 200
    assert [(r["month"], r["rate"]) for r in listed.json()] == [("2025-01", "7.100000")]
    body = {"month": "2025-02", "rate": "7.1884", "source": "中国人民银行公布的月平均汇率"}
    assert (
        officer.put("/api/v1/kpi/rates", body, content_type="application/json").status_code == 403
    )
    assert not ExchangeRate.objects.filter(month="2025-02").exists()
    root = api_client(admin)
    for bad, field in (
        ({**body, "month": "2025Q1"}, "month"),
        ({**body, "rate": "-7"}, "rate"),
        ({**body, "rate": "7.12345678"}, "rate"),
        ({**body, "source": " "}, "source"),
    ):
        refused = root.put("/api/v1/kpi/rates", bad, content_type="application/json")
        assert refused.status_code == 400 and set(refused.json()["detail"]) == {field}, bad
    assert ExchangeRate.objects.count() == 1
    saved = root.put("/api/v1/kpi/rates", body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["rate"] == "7.188400"
    assert saved.json()["entered_by"] == "fx_admin"
    # Replacing a month's rate keeps one row for it.
    again = root.put("/api/v1/kpi/rates", {**body, "rate": "7.19"}, content_type="application/json")
    assert again.status_code == 200
    assert str(ExchangeRate.objects.get(month="2025-02").rate) == "7.190000"
    assert ExchangeRate.objects.filter(month="2025-02").count() == 1
