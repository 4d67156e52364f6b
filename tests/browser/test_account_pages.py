"""Account pages in a real browser: an admin adds a member, who signs in and manages a token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import ApiToken, Organization, Role, User
from parklink.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qingbai-river-2024"


@pytest.fixture
def admin(transactional_db: Any) -> User:
    org = Organization.objects.create(
        name="金牛区投资促进局",
        kind="investment_bureau",
        region=Region.objects.get(adcode="510106"),
    )
    return User.objects.create_user(
        "jinniu_admin", password="pw-browser", organization=org, role=Role.ADMIN
    )


class TestMembersAndTokens:
    def test_admin_adds_a_member_who_signs_in_and_creates_then_revokes_a_token(
        self,
        page: Any,
        live_server: Any,
        login: Callable[..., Any],
        admin: User,
        screenshot_dir: Path,
    ) -> None:
        login(page, admin)
        page.goto(f"{live_server.url}/")
        page.click("header >> text=机构成员")
        page.click("text=添加成员")
        page.fill("input[name=username]", "li_si")
        page.fill("input[name=display_name]", "李四")
        page.select_option("select[name=role]", "officer")
        page.fill("input[name=password1]", "12345678")
        page.fill("input[name=password2]", "12345678")
        page.click("#member-form button[type=submit]")
        # Django's validators refuse the password, next to the field, in Chinese.
        assert page.locator("[data-field=password1] .pl-field-error").count() >= 1
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        with page.expect_navigation():
            page.click("#member-form button[type=submit]")
        row = page.locator("tr[data-member=li_si]")
        assert "李四" in row.inner_text() and "专员" in row.inner_text()
        page.screenshot(path=str(screenshot_dir / "members.png"), full_page=True)
        row.locator("text=编辑").click()
        assert page.locator("select[name=role]").input_value() == "officer"
        assert page.locator("input[name=is_active]").is_checked()
        page.screenshot(path=str(screenshot_dir / "member-edit.png"), full_page=True)

        page.context.clear_cookies()
        member = User.objects.get(username="li_si")
        login(page, member, password=PASSWORD)
        page.click("header >> text=我的账号")
        assert page.locator("header >> text=机构成员").count() == 0
        page.fill("#tokens input[name=name]", "数据同步")
        page.click("#tokens button:has-text('创建令牌')")
        token = page.locator("#new-token").input_value()
        record = ApiToken.objects.get(user=member)
        assert token.startswith(record.prefix) and record.name == "数据同步"
        assert "只显示这一次" in page.inner_text("#tokens")
        page.screenshot(path=str(screenshot_dir / "account-token.png"), full_page=True)

        page.on("dialog", lambda dialog: dialog.accept())
        page.click(f"tr[data-token='{record.pk}'] button:has-text('吊销')")
        page.wait_for_selector(f"tr[data-token='{record.pk}'] >> text=已吊销")
        assert page.locator("#new-token").count() == 0
        record.refresh_from_db()
        assert record.revoked
        page.screenshot(path=str(screenshot_dir / "account.png"), full_page=True)
