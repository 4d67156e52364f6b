"""The co-built park pages: every page for a party, 404 for an outsider, read-only for a viewer,
forms' errors next to their fields, and the whole job done on the pages alone."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from parklink.accounts.models import User
from parklink.cobuild.models import Agreement, Confirmation, Record, Rule, Run, RunStatus
from parklink.cobuild.services import confirmations, runs
from tests.cobuild.support import add_records, agreement, enterprises, ratio_rule
from tests.support import factories

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def settled(world: dict[str, Any]) -> Run:
    """The world's 2025Q1 as a draft run."""
    return runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")


def page_urls(world: dict[str, Any], run: Run) -> list[str]:
    pk = world["agreement"].pk
    rule = world["rule"]
    return [
        reverse("cobuild:detail", args=[pk]),
        reverse("cobuild:edit", args=[pk]),
        reverse("cobuild:transition_form", args=[pk]) + "?to=expired",
        reverse("cobuild:amend", args=[pk]),
        reverse("cobuild:rules", args=[pk, 1]),
        reverse("cobuild:rule_edit", args=[pk, rule.pk]),
        reverse("cobuild:records_import", args=[pk]),
        reverse("cobuild:runs", args=[pk]),
        reverse("cobuild:run", args=[pk, run.pk]),
        reverse("cobuild:statement", args=[pk, "2025Q1", "jinniu"]),
        reverse("cobuild:statement_download", args=[pk, "2025Q1", "jinniu", "xlsx"]),
        reverse("cobuild:statement_download", args=[pk, "2025Q1", "jinniu", "pdf"]),
        reverse("cobuild:views", args=[pk]),
        reverse("cobuild:views_download", args=[pk, "xlsx"]),
        reverse("cobuild:covered", args=[pk]),
        reverse("cobuild:covered_create", args=[pk]),
    ]


def xlsx_upload(rows: list[list[Any]], name: str = "figures.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "指标", "数额"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


class TestPagesForAParty:
    def test_every_page_renders(self, world: dict[str, Any]) -> None:
        run = settled(world)
        dege = client_for(world["users"]["dege"])  # a party, not the drafter
        for url in page_urls(world, run):
            response = dege.get(url)
            assert response.status_code == 200, url

    def test_the_list_shows_parties_status_term_and_parks(self, world: dict[str, Any]) -> None:
        made = world["agreement"]
        park = factories.park(world["orgs"]["dege"], "德格共建园")
        made.parks.add(park)
        page = client_for(world["users"]["dege"]).get(reverse("cobuild:list")).content.decode()
        assert made.title in page and "金牛区投资促进局" in page and "德格县人民政府" in page
        assert "执行中" in page and "德格共建园" in page and "飞出地" in page

    def test_the_list_filters_by_status_and_park(self, world: dict[str, Any]) -> None:
        users, orgs = world["users"], world["orgs"]
        draft = agreement(users["jinniu"], orgs["jinniu"], orgs["dege"], title="另一份草案")
        park = factories.park(orgs["dege"], "德格共建园")
        draft.parks.add(park)
        client = client_for(users["jinniu"])
        page = client.get(reverse("cobuild:list"), {"status": "draft"}).content.decode()
        assert "另一份草案" in page and world["agreement"].title not in page
        page = client.get(reverse("cobuild:list"), {"park": park.pk}).content.decode()
        assert "另一份草案" in page and world["agreement"].title not in page

    def test_the_detail_shows_versions_timeline_and_allowed_next_statuses(
        self, world: dict[str, Any]
    ) -> None:
        page = (
            client_for(world["users"]["jinniu"])
            .get(reverse("cobuild:detail", args=[world["agreement"].pk]))
            .content.decode()
        )
        assert 'data-next-status="expired"' in page and 'data-next-status="terminated"' in page
        assert 'data-next-status="draft"' not in page
        assert 'data-timeline="vat_local"' in page and "vat-local-ratio" in page
        assert "固定比例" in page and "第1版" in page


class TestOutsiders:
    def test_every_page_is_a_404(self, world: dict[str, Any]) -> None:
        run = settled(world)
        outsider = client_for(world["users"]["qingbaijiang"])
        for url in page_urls(world, run):
            assert outsider.get(url).status_code == 404, url
        pk = world["agreement"].pk
        for url in (
            reverse("cobuild:transition", args=[pk]),
            reverse("cobuild:run_confirm", args=[pk, run.pk]),
            reverse("cobuild:rule_delete", args=[pk, world["rule"].pk]),
            reverse("cobuild:details", args=[pk]),
            reverse("cobuild:company_create", args=[pk]),
        ):
            assert outsider.post(url, {"to": "expired"}).status_code == 404, url
        for url in (
            reverse("cobuild:details", args=[pk]),
            reverse("cobuild:company_create", args=[pk]),
        ):
            assert outsider.get(url).status_code == 404, url

    def test_the_list_does_not_show_it(self, world: dict[str, Any]) -> None:
        page = client_for(world["users"]["qingbaijiang"]).get(reverse("cobuild:list"))
        assert world["agreement"].title not in page.content.decode()

    def test_a_park_page_shows_only_visible_agreements(self, world: dict[str, Any]) -> None:
        park = factories.park(world["orgs"]["dege"], "德格共建园")
        world["agreement"].parks.add(park)
        url = reverse("parks:detail", args=[park.pk])
        assert (
            world["agreement"].title in client_for(world["users"]["dege"]).get(url).content.decode()
        )
        page = client_for(world["users"]["qingbaijiang"]).get(url).content.decode()
        assert world["agreement"].title not in page and 'id="cobuild-agreements"' not in page


class TestViewers:
    def test_a_viewer_sees_but_cannot_change(self, world: dict[str, Any]) -> None:
        run = settled(world)
        viewer = client_for(world["users"]["jinniu_viewer"])
        pk = world["agreement"].pk
        page = viewer.get(reverse("cobuild:detail", args=[pk])).content.decode()
        assert "data-read-only" in page and "data-next-status" not in page
        run_page = viewer.get(reverse("cobuild:run", args=[pk, run.pk])).content.decode()
        assert 'id="confirm-run"' not in run_page
        assert viewer.post(reverse("cobuild:transition", args=[pk]), {"to": "expired",
                           "date": "2025-06-30"}).status_code == 403  # fmt: skip
        assert viewer.post(reverse("cobuild:run_confirm", args=[pk, run.pk])).status_code == 403
        assert viewer.get(reverse("cobuild:records_import", args=[pk])).status_code == 403
        assert (
            viewer.post(reverse("cobuild:runs", args=[pk]), {"period": "2025Q1"}).status_code == 403
        )
        assert viewer.post(reverse("cobuild:rules", args=[pk, 1]), {}).status_code == 403
        assert not Confirmation.objects.exists()
        assert Agreement.objects.get(pk=pk).status == "in_force"


class TestFormErrors:
    def test_a_term_ending_before_it_starts_is_shown_on_the_field(
        self, orgs: dict[str, Any], users: dict[str, User]
    ) -> None:
        response = client_for(users["jinniu"]).post(
            reverse("cobuild:create"),
            {
                "title": "测试协议",
                "effective_from": "2025-01-01",
                "term_start": "2025-01-01",
                "term_end": "2024-01-01",
                "parties-TOTAL_FORMS": "1",
                "parties-INITIAL_FORMS": "0",
                "parties-0-organization": str(orgs["jinniu"].pk),
                "parties-0-key": "jinniu",
                "parties-0-order": "0",
            },
        )
        assert response.status_code == 422
        assert "协议期限止不能早于期限起" in response.content.decode()
        assert not Agreement.objects.exists()

    def test_repeated_party_keys_are_shown_above_the_rows(
        self, orgs: dict[str, Any], users: dict[str, User]
    ) -> None:
        response = client_for(users["jinniu"]).post(
            reverse("cobuild:create"),
            {
                "title": "测试协议",
                "effective_from": "2025-01-01",
                "parties-TOTAL_FORMS": "2",
                "parties-INITIAL_FORMS": "0",
                "parties-0-organization": str(orgs["jinniu"].pk),
                "parties-0-key": "same",
                "parties-1-organization": str(orgs["dege"].pk),
                "parties-1-key": "same",
            },
        )
        assert response.status_code == 422
        assert "协议方代号不能重复" in response.content.decode()

    def rule_post(self, world: dict[str, Any], params: str, **extra: str) -> Any:
        return client_for(world["users"]["jinniu"]).post(
            reverse("cobuild:rules", args=[world["agreement"].pk, 1]),
            {
                "key": "cit-ratio",
                "indicator": "cit_local",
                "scope_kind": "all",
                "kind": "fixed_ratio",
                "params": params,
                **extra,
            },
        )

    def test_the_engines_reason_is_shown_next_to_the_params(self, world: dict[str, Any]) -> None:
        response = self.rule_post(world, '{"shares": {"jinniu": "1/2", "dege": "1/3"}}')
        assert response.status_code == 422
        page = response.content.decode()
        field = page[page.index('data-field="params"') :]
        field = field[: field.index("</div>")]
        assert "pl-field-error" in field and "100%" in field
        assert not Rule.objects.filter(key="cit-ratio").exists()

    def test_the_reason_is_in_english_for_an_english_user(self, world: dict[str, Any]) -> None:
        client = client_for(world["users"]["jinniu"])
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.post(
            reverse("cobuild:rules", args=[world["agreement"].pk, 1]),
            {"key": "cit-ratio", "indicator": "cit_local", "scope_kind": "all",
             "kind": "fixed_ratio", "params": '{"shares": {"jinniu": "1/2", "nobody": "1/2"}}'},
        )  # fmt: skip
        page = response.content.decode()
        field = page[page.index('data-field="params"') :]
        field = field[: field.index("</div>")]
        assert "pl-field-error" in field and "nobody" in field
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in field.split("pl-field-error")[1])

    def test_bad_json_and_floats_are_refused_by_the_form(self, world: dict[str, Any]) -> None:
        assert "不是有效的 JSON" in self.rule_post(world, "{shares").content.decode()
        page = self.rule_post(world, '{"shares": {"jinniu": 0.6, "dege": 0.4}}').content.decode()
        assert "比例请写成文本" in page

    def test_the_placeholder_is_the_kinds_documented_example(self, world: dict[str, Any]) -> None:
        page = (
            client_for(world["users"]["jinniu"])
            .get(reverse("cobuild:rules", args=[world["agreement"].pk, 1]))
            .content.decode()
        )
        assert 'data-example="window_cap"' in page and "capped_party" in page

    def test_an_illegal_transition_is_refused_in_the_form(self, world: dict[str, Any]) -> None:
        response = client_for(world["users"]["jinniu"]).post(
            reverse("cobuild:transition", args=[world["agreement"].pk]),
            {"to": "draft", "date": "2025-06-30"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "允许的下一状态" in response.content.decode()

    def test_terminating_needs_a_reason(self, world: dict[str, Any]) -> None:
        response = client_for(world["users"]["jinniu"]).post(
            reverse("cobuild:transition", args=[world["agreement"].pk]),
            {"to": "terminated", "date": "2025-06-30"},
        )
        assert response.status_code == 422
        assert "终止协议时必须说明原因" in response.content.decode()

    def test_a_bad_period_is_shown_on_the_run_form(self, world: dict[str, Any]) -> None:
        response = client_for(world["users"]["jinniu"]).post(
            reverse("cobuild:runs", args=[world["agreement"].pk]), {"period": "2025Q5"}
        )
        assert response.status_code == 422
        assert "结算期应写作" in response.content.decode()

    def test_every_bad_row_is_listed_and_nothing_is_written(self, world: dict[str, Any]) -> None:
        firms = world["enterprises"]
        before = Record.objects.count()
        response = client_for(world["users"]["jinniu"]).post(
            reverse("cobuild:records_import", args=[world["agreement"].pk]),
            {
                "period": "2025Q2",
                "file": xlsx_upload(
                    [
                        [firms[0].uscc, "增值税地方留成", "1.005"],
                        [firms[1].uscc, "没有的指标", "10"],
                        [firms[1].uscc, "vat_local", "20"],
                    ]
                ),
            },
        )
        page = response.content.decode()
        assert response.status_code == 422
        assert 'data-row="2"' in page and 'data-row="3"' in page and 'data-row="4"' not in page
        assert "金额最多精确到分" in page
        assert Record.objects.count() == before

    def test_a_settled_period_needs_the_replace_box(self, world: dict[str, Any]) -> None:
        made, users = world["agreement"], world["users"]
        run = settled(world)
        confirmations.confirm(users["jinniu"], run)
        confirmations.confirm(users["dege"], run)
        firms = world["enterprises"]
        url = reverse("cobuild:records_import", args=[made.pk])
        dege = client_for(users["dege"])
        upload = [[firms[0].uscc, "vat_local", "100"]]
        response = dege.post(url, {"period": "2025Q1", "file": xlsx_upload(upload)})
        assert response.status_code == 422 and "请勾选" in response.content.decode()
        response = dege.post(
            url, {"period": "2025Q1", "file": xlsx_upload(upload), "replace": "on"}
        )
        assert response.status_code == 200
        run.refresh_from_db()
        assert run.status == RunStatus.SUPERSEDED


class TestAssessmentLabel:
    def test_output_figures_carry_the_label(self, world: dict[str, Any]) -> None:
        made, users = world["agreement"], world["users"]
        ratio_rule(users["jinniu"], made, "output")
        add_records(users["jinniu"], made, "jinniu", "2025Q2",
                    [(world["enterprises"][0], "output", 500_000_00)])  # fmt: skip
        run = runs.run_period(users["jinniu"], made, "2025Q2")
        client = client_for(users["dege"])
        for url in (
            reverse("cobuild:run", args=[made.pk, run.pk]),
            reverse("cobuild:statement", args=[made.pk, "2025Q2", "dege"]),
        ):
            assert "仅用于考核,不得对外公布" in client.get(url).content.decode(), url

    def test_tax_figures_do_not(self, world: dict[str, Any]) -> None:
        run = settled(world)
        page = client_for(world["users"]["dege"]).get(
            reverse("cobuild:run", args=[world["agreement"].pk, run.pk])
        )
        assert "仅用于考核" not in page.content.decode()


class TestRunPage:
    def test_totals_chart_sentences_and_pending_confirmations(self, world: dict[str, Any]) -> None:
        run = settled(world)
        page = (
            client_for(world["users"]["dege"])
            .get(reverse("cobuild:run", args=[world["agreement"].pk, run.pk]))
            .content.decode()
        )
        assert 'data-options="share-chart-options"' in page
        assert "协议第1版" in page and "× 60%" in page  # the engine's sentence
        assert "12,600.01 元" in page  # jinniu: 3/5 of each record, the fen of 1,000.01
        assert page.count("待确认") >= 2 and 'id="confirm-run"' in page

    def test_unmatched_figures_are_listed_with_the_reason(self, world: dict[str, Any]) -> None:
        made, users = world["agreement"], world["users"]
        add_records(users["jinniu"], made, "jinniu", "2025Q1",
                    [(world["enterprises"][0], "jobs", 12)])  # fmt: skip
        run = settled(world)
        page = client_for(users["dege"]).get(reverse("cobuild:run", args=[made.pk, run.pk]))
        assert 'id="unmatched-table"' in page.content.decode()


class TestTheWholeJobOnThePages:
    def test_draft_sign_import_run_confirm_and_download(
        self, orgs: dict[str, Any], users: dict[str, User]
    ) -> None:
        jinniu, dege = client_for(users["jinniu"]), client_for(users["dege"])
        park = factories.park(orgs["dege"], "金牛—德格共建园")
        # 1. draft with one party, then add the second on the edit page
        response = jinniu.post(
            reverse("cobuild:create"),
            {
                "title": "页面起草的协议",
                "effective_from": "2025-01-01",
                "division_mode": "hq_production",
                "parks": [str(park.pk)],
                "parties-TOTAL_FORMS": "1",
                "parties-INITIAL_FORMS": "0",
                "parties-0-organization": str(orgs["jinniu"].pk),
                "parties-0-key": "jinniu",
                "parties-0-roles": ["source"],
                "parties-0-order": "0",
            },
        )
        assert response.status_code == 302, response.content.decode()
        made = Agreement.objects.get(title="页面起草的协议")
        response = jinniu.post(
            reverse("cobuild:edit", args=[made.pk]),
            {
                "title": "页面起草的协议",
                "division_mode": "hq_production",
                "parks": [str(park.pk)],
                "parties-TOTAL_FORMS": "2",
                "parties-INITIAL_FORMS": "1",
                "parties-0-organization": str(orgs["jinniu"].pk),
                "parties-0-key": "jinniu",
                "parties-0-roles": ["source"],
                "parties-0-order": "0",
                "parties-1-organization": str(orgs["dege"].pk),
                "parties-1-key": "dege",
                "parties-1-roles": ["host"],
                "parties-1-order": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()
        assert [p.key for p in made.parties.order_by("order")] == ["jinniu", "dege"]
        # 2. a rule
        response = jinniu.post(
            reverse("cobuild:rules", args=[made.pk, 1]),
            {"key": "vat", "indicator": "vat_local", "scope_kind": "all", "kind": "fixed_ratio",
             "params": '{"shares": {"jinniu": "3/5", "dege": "2/5"}}'},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()
        # 3. sign, then in force (htmx confirmation form)
        for target in ("signed", "in_force"):
            form = jinniu.get(
                reverse("cobuild:transition_form", args=[made.pk]) + f"?to={target}",
                headers={"HX-Request": "true"},
            )
            assert 'id="transition-form"' in form.content.decode()
            response = jinniu.post(
                reverse("cobuild:transition", args=[made.pk]),
                {"to": target, "date": "2025-01-01"},
                headers={"HX-Request": "true"},
            )
            assert response.status_code == 200 and response.headers["HX-Redirect"]
        made.refresh_from_db()
        assert made.status == "in_force" and made.signed_on == date(2025, 1, 1)
        # 4. dege imports its figures
        firms = enterprises(orgs["dege"])
        response = dege.post(
            reverse("cobuild:records_import", args=[made.pk]),
            {"period": "2025Q1", "file": xlsx_upload([
                [firms[0].uscc, "增值税地方留成", "1000.01"],
                [firms[1].uscc, "vat_local", "20000"]])},
        )  # fmt: skip
        assert response.status_code == 200, response.content.decode()
        assert Record.objects.filter(agreement=made).count() == 2
        # 5. run the period
        response = jinniu.post(reverse("cobuild:runs", args=[made.pk]), {"period": "2025q1"})
        assert response.status_code == 302
        run = Run.objects.get(agreement=made)
        assert response.headers["Location"] == reverse("cobuild:run", args=[made.pk, run.pk])
        # 6. both parties confirm
        url = reverse("cobuild:run_confirm", args=[made.pk, run.pk])
        assert jinniu.post(url).status_code == 302
        page = dege.get(reverse("cobuild:run", args=[made.pk, run.pk])).content.decode()
        assert "jinniu_officer" in page and 'id="confirm-run"' in page
        assert dege.post(url).status_code == 302
        run.refresh_from_db()
        assert run.status == RunStatus.CONFIRMED
        page = jinniu.get(reverse("cobuild:run", args=[made.pk, run.pk])).content.decode()
        assert 'id="confirm-run"' not in page and "dege_officer" in page
        # 7. the statement, on the page and as a workbook
        statement = dege.get(reverse("cobuild:statement", args=[made.pk, "2025Q1", "dege"]))
        assert "8,400.00 元" in statement.content.decode()  # 2/5 of 21,000.01 (the fen to jinniu)
        download = dege.get(
            reverse("cobuild:statement_download", args=[made.pk, "2025Q1", "dege", "xlsx"])
        )
        assert download.status_code == 200
        book = load_workbook(io.BytesIO(download.content))
        totals = [list(row) for row in book.worksheets[1].iter_rows(values_only=True)]
        assert totals[1][1] == 840000
