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


@pytest.mark.django_db(transaction=True)
def test_the_pages_fit_a_phone_and_pass_axe(
    browser: Any, live_server: Any, login: Callable[..., None], tmp_path: Path
) -> None:
    import io
    import json

    from PIL import Image

    from parklink.accounts.models import Role
    from parklink.attachments import services as attachment_services
    from parklink.reminders import services as reminder_services
    from parklink.reminders.models import Delivery
    from tests.browser.test_every_page import serious_violations

    org = factories.organization("金牛区投资促进局", "510106")
    admin = factories.user("jinniu_admin", org, role=Role.ADMIN, email="a@example.org")
    project = factories.project(admin, "三月无进展项目", days_ago=100, leader_user=admin)
    photo = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 90, 160)).save(photo, "PNG")
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        found = attachment_services.target(admin, "projects.project", project.pk)
        for name, data in (("现场照片.png", photo.getvalue()), ("投资协议.pdf", PDF)):
            attachment_services.upload(admin, found, io.BytesIO(data), name=name, kind="photo")
        robot = reminder_services.add_webhook(
            admin, name="招商群", kind="wecom", url="https://qyapi.example/send?key=x"
        )
        Delivery.objects.create(webhook=robot, day="2025-06-02", status="failed", error="HTTP 502")
        login(page, admin)
        paths = [  # the home page (with its reminders card) is in test_every_page.py
            f"/attachments/projects.project/{project.pk}/",
            "/reminders/",
            "/reminders/settings/",
            "/reminders/webhooks/",
        ]
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            page.locator("details").evaluate_all("(all) => all.forEach((d) => d.open = true)")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, (path, width)
            results = serious_violations(page)
            assert not results, (path, json.dumps(results, ensure_ascii=False, indent=1))
    context.close()
