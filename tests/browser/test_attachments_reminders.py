"""Attachments and reminders in a real browser: attach a file to a project and see it listed
(then open it), see a reminder on the home page and on 我的提醒, mute its kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from parklink.attachments.models import Attachment
from parklink.projects.reminder_colours import KIND
from tests.support import factories

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer(transactional_db: Any) -> Any:
    org = factories.organization("金牛区投资促进局", "510106")
    return factories.user("jinniu_officer", org, email="officer@example.org")


@pytest.mark.django_db(transaction=True)
def test_attach_a_file_to_a_project_and_see_it_listed(
    page: Any, live_server: Any, login: Callable[..., None], officer: Any, tmp_path: Path
) -> None:
    project = factories.project(officer, "光伏组件项目", stage="signed")
    upload = tmp_path / "投资协议.pdf"
    upload.write_bytes(PDF)
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        login(page, officer)
        page.goto(f"{live_server.url}/attachments/projects.project/{project.pk}/")
        page.click("#attachments summary")
        form = page.locator("[data-upload-form]")
        form.locator("input[type=file]").set_input_files(str(upload))
        form.locator("select[name=kind]").select_option("agreement")
        form.locator("input[name=description]").fill("正式签署稿")
        form.locator("button[type=submit]").click()
        row = page.locator("[data-attachment-list] tbody tr").first
        row.wait_for()
        assert "投资协议.pdf" in row.inner_text() and "投资协议" in row.inner_text()
        made = Attachment.objects.get()
        assert made.record == project and made.kind == "agreement"
        with page.expect_download() as download:
            row.locator("a[download]").click()
        assert download.value.suggested_filename == "投资协议.pdf"
        assert Path(download.value.path()).read_bytes() == PDF


@pytest.mark.django_db(transaction=True)
def test_a_red_project_is_a_reminder_on_the_home_page(
    page: Any, live_server: Any, login: Callable[..., None], officer: Any
) -> None:
    factories.project(officer, "三月无进展项目", days_ago=100, leader_user=officer)
    login(page, officer)
    page.goto(f"{live_server.url}/")
    card = page.locator("#my-reminders")
    assert "三月无进展项目" in card.inner_text() and "红色预警" in card.inner_text()
    card.locator("a", has_text="全部提醒").click()
    page.wait_for_url("**/reminders/")
    assert page.locator(f"[data-reminder^='{KIND}:']").count() == 1
    page.goto(f"{live_server.url}/reminders/settings/")
    page.locator(f"input[name=muted][value='{KIND}']").check()
    with page.expect_navigation():
        page.click("#reminder-settings button[type=submit]")
    page.goto(f"{live_server.url}/reminders/")
    assert page.locator(f"[data-reminder^='{KIND}:']").count() == 0
    assert page.locator("[data-muted]").count() == 1
