"""Co-built park pages in a real browser: an officer drafts an agreement with its parties, adds a
rule, signs it and puts it in force through the htmx confirmation; the host side uploads its
figures; the period is settled, both sides confirm, and the host downloads its statement."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Agreement, Run, RunStatus
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park
from parklink.regions.models import Region
from tests.support.import_files import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-browser"


def _world() -> dict[str, Any]:
    jinniu = Organization.objects.create(
        name="金牛区投资促进局(测试)",
        kind="investment_bureau",
        region=Region.objects.get(adcode="510106"),
    )
    dege = Organization.objects.create(
        name="德格县人民政府(测试)", kind="government", region=Region.objects.get(adcode="513330")
    )
    park = Park.objects.create(owner=dege, name="金牛—德格共建园(测试)", region_id="513330",
                               kind="industrial_park")  # fmt: skip
    firms = [
        Enterprise.objects.create(
            owner=dege, name=f"共建企业{n}有限公司", uscc=make_uscc(n + 1), region_id="513330"
        )
        for n in range(2)
    ]
    users = {
        key: User.objects.create_user(
            username=f"{key}_cobuild", password=PASSWORD, organization=org, role="officer"
        )
        for key, org in (("jinniu", jinniu), ("dege", dege))
    }
    return {"orgs": {"jinniu": jinniu, "dege": dege}, "park": park, "firms": firms, "users": users}


def _figures(tmp_path: Path, firms: list[Enterprise]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "指标", "数额"])
    sheet.append([firms[0].uscc, "增值税地方留成", "1000.01"])
    sheet.append([firms[1].uscc, "vat_local", "20000"])
    path = tmp_path / "dege-2025Q1.xlsx"
    book.save(path)
    return path


class TestCobuildFlowInTheBrowser:
    def test_draft_rule_sign_import_settle_confirm_and_download(
        self,
        browser: Any,
        page: Any,
        live_server: Any,
        login: Callable[..., Any],
        screenshot_dir: Path,
        tmp_path: Path,
    ) -> None:
        world = _world()
        orgs, users = world["orgs"], world["users"]
        login(page, users["jinniu"])

        # Draft: the text, the park and two party rows (the second added on the page).
        page.goto(f"{live_server.url}/cobuild/")
        page.click("#create-agreement")
        page.fill("#id_title", "浏览器起草的共建协议")
        page.fill("#id_effective_from", "2025-01-01")
        page.select_option("#id_parks", str(world["park"].pk))
        rows = page.locator("#parties-rows")
        page.select_option("#id_parties-0-organization", str(orgs["jinniu"].pk))
        page.fill("#id_parties-0-key", "jinniu")
        page.check("input[name='parties-0-roles'][value='source']")
        page.fill("#id_parties-0-order", "0")
        rows.locator("[data-add-row]").click()
        page.select_option("#id_parties-1-organization", str(orgs["dege"].pk))
        page.fill("#id_parties-1-key", "dege")
        page.check("input[name='parties-1-roles'][value='host']")
        page.fill("#id_parties-1-order", "1")
        with page.expect_navigation():
            page.click("#save-agreement")
        made = Agreement.objects.get(title="浏览器起草的共建协议")
        assert page.url.endswith(f"/cobuild/{made.pk}/")
        assert page.locator("#party-table tbody tr").count() == 2

        # A rule of version 1: a wrong share first (the engine's reason beside the field).
        page.locator("#version-table a").first.click()
        page.fill("#id_key", "vat")
        page.select_option("#id_indicator", "vat_local")
        page.select_option("#id_kind", "fixed_ratio")
        page.fill("#id_params", '{"shares": {"jinniu": "3/5", "dege": "1/5"}}')
        page.click("#save-rule")
        error = page.locator("[data-field='params'] .pl-field-error")
        assert "100%" in error.inner_text()
        page.fill("#id_params", '{"shares": {"jinniu": "3/5", "dege": "2/5"}}')
        with page.expect_navigation():
            page.click("#save-rule")
        assert page.locator("#rule-table tr[data-rule='vat']").count() == 1

        # Sign, then in force: each through the confirmation form under the buttons.
        page.goto(f"{live_server.url}/cobuild/{made.pk}/")
        for target in ("signed", "in_force"):
            page.click(f"[data-next-status='{target}']")
            page.fill("#transition-form input[name='date']", "2025-01-01")
            with page.expect_navigation():
                page.click("[data-confirm-transition]")
            assert page.locator("#agreement-state").get_attribute("data-status") == target
        assert page.locator("[data-next-status='draft']").count() == 0

        # The host side uploads its figures of 2025Q1.
        host = browser.new_context(locale="zh-CN", base_url=live_server.url)
        host_page = host.new_page()
        login(host_page, users["dege"])
        host_page.goto(f"{live_server.url}/cobuild/{made.pk}/")
        host_page.click("#import-records")
        host_page.fill("#id_period", "2025Q1")
        host_page.set_input_files("#id_file", str(_figures(tmp_path, world["firms"])))
        with host_page.expect_navigation():
            host_page.click("#import-submit")
        assert host_page.locator("#import-created").inner_text() == "2"

        # The drafter settles the period and confirms for its side.
        page.goto(f"{live_server.url}/cobuild/{made.pk}/runs/")
        page.fill("#id_period", "2025Q1")
        with page.expect_navigation():
            page.click("#run-submit")
        run = Run.objects.get(agreement=made)
        page.wait_for_selector("#share-chart[data-rendered='true']")
        assert "协议第1版" in page.locator("[data-sentence]").first.inner_text()
        with page.expect_navigation():
            page.click("#confirm-run")
        assert page.locator("#confirm-run").count() == 0
        page.screenshot(path=str(screenshot_dir / "cobuild-run.png"), full_page=True)

        # The host confirms: the run binds; its statement downloads as a workbook.
        host_page.goto(f"{live_server.url}/cobuild/{made.pk}/runs/{run.pk}/")
        with host_page.expect_navigation():
            host_page.click("#confirm-run")
        assert host_page.locator("#run-status").get_attribute("data-status") == "confirmed"
        run.refresh_from_db()
        assert run.status == RunStatus.CONFIRMED
        host_page.click("[data-statement='dege']")
        assert "8,400.00 元" in host_page.locator("#indicator-table").inner_text()
        with host_page.expect_download() as downloaded:
            host_page.click("#download-xlsx")
        book = load_workbook(io.BytesIO(Path(downloaded.value.path()).read_bytes()))
        assert [row[1] for row in book.worksheets[1].iter_rows(values_only=True)][1] == 840000
        host.close()
