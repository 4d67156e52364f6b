"""Login throttling (django-axes): failed logins lock the account and, separately, the address."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from parklink.accounts import services
from parklink.accounts.models import Organization, Role, User
from parklink.core.errors import Forbidden, NotFound

pytestmark = pytest.mark.django_db

PASSWORD = "Qingbai-river-2024"
HOME = "10.1.0.1"
ELSEWHERE = "10.2.0.2"


def browser(address: str = HOME, language: str = "zh-hans") -> Client:
    return Client(REMOTE_ADDR=address, headers={"Accept-Language": language})


def sign_in(client: Client, username: str, password: str) -> int:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def member(orgs: dict[str, Organization], make_user: Callable[..., User]) -> User:
    user = make_user("li_si", orgs["jinniu"])
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def admin(orgs: dict[str, Organization], make_user: Callable[..., User]) -> User:
    return make_user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN)


def lock_out(username: str, address: str = HOME, times: int = 30) -> None:
    client = browser(address)
    for _attempt in range(times):
        sign_in(client, username, "wrong-password")


class TestLoginThrottling:
    def test_thirty_wrong_passwords_then_the_right_one_is_refused(self, member: User) -> None:
        lock_out("li_si")
        client = browser()
        response = client.post(reverse("login"), {"username": "li_si", "password": PASSWORD})
        assert response.status_code == 429
        assert not signed_in(client)
        assert 'id="locked-out"' in response.content.decode()

    def test_a_few_wrong_passwords_do_not_stop_the_right_one(self, member: User) -> None:
        lock_out("li_si", times=4)
        client = browser()
        assert sign_in(client, "li_si", PASSWORD) == 302
        assert signed_in(client)

    def test_a_success_forgets_the_earlier_failures(self, member: User) -> None:
        lock_out("li_si", times=4)
        assert sign_in(browser(), "li_si", PASSWORD) == 302
        lock_out("li_si", times=4)
        assert sign_in(browser(), "li_si", PASSWORD) == 302

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_the_limit_is_a_setting(self, member: User) -> None:
        lock_out("li_si", times=3)
        assert sign_in(browser(), "li_si", PASSWORD) == 429

    def test_the_locked_account_stays_locked_from_another_address(self, member: User) -> None:
        lock_out("li_si", address=HOME)
        response = browser(ELSEWHERE).post(
            reverse("login"), {"username": "li_si", "password": PASSWORD}
        )
        assert response.status_code == 429
        page = response.content.decode()
        assert 'data-locked="account"' in page and 'data-locked="address"' not in page

    def test_an_address_that_tried_many_accounts_is_locked_for_every_account(
        self, member: User
    ) -> None:
        for name in ("zhang_san", "wang_wu", "zhao_liu", "sun_qi", "zhou_ba"):
            sign_in(browser(HOME), name, "guess")
        response = browser(HOME).post(reverse("login"), {"username": "li_si", "password": PASSWORD})
        assert response.status_code == 429
        page = response.content.decode()
        assert 'data-locked="address"' in page and 'data-locked="account"' not in page
        # The account itself did nothing wrong: from another address it signs in.
        assert sign_in(browser(ELSEWHERE), "li_si", PASSWORD) == 302

    def test_the_page_says_what_is_locked_for_how_long_and_who_unlocks_it(
        self, member: User
    ) -> None:
        lock_out("li_si")
        page = browser().post(reverse("login"), {"username": "li_si", "password": PASSWORD})
        text = page.content.decode()
        assert "账号“li_si”登录失败次数过多,已锁定 15 分钟" in text
        assert "本机构的管理员" in text
        assert page["Retry-After"] == "900"

    def test_the_page_speaks_english_to_an_english_browser(self, member: User) -> None:
        lock_out("li_si")
        page = browser(language="en").post(
            reverse("login"), {"username": "li_si", "password": PASSWORD}
        )
        text = page.content.decode()
        assert page.status_code == 429
        assert "“li_si”" in text and "15 min" in text
        assert "administrator" in text and "登录失败" not in text

    def test_the_admin_login_is_throttled_too(self, users: dict[str, User]) -> None:
        client = browser()
        for _attempt in range(5):
            client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})
        response = client.post(
            reverse("admin:login"), {"username": "root", "password": "pw-rootroot"}
        )
        assert response.status_code == 429
        assert not signed_in(client)


class TestUnlockByOrganisationAdmin:
    def test_the_member_page_shows_the_lock_and_the_admin_lifts_it(
        self, member: User, admin: User
    ) -> None:
        lock_out("li_si")
        client = Client()
        client.force_login(admin)
        page = client.get(reverse("accounts:member_edit", args=[member.pk])).content.decode()
        assert 'id="login-locked"' in page and 'id="unlock-form"' in page
        response = client.post(reverse("accounts:member_unlock", args=[member.pk]))
        assert response.status_code == 302
        page = client.get(reverse("accounts:member_edit", args=[member.pk])).content.decode()
        assert 'id="login-locked"' not in page and "已解除“li_si”的登录锁定" in page
        again = browser()
        assert sign_in(again, "li_si", PASSWORD) == 302
        assert signed_in(again)

    def test_an_unlocked_member_page_offers_no_unlock(self, member: User, admin: User) -> None:
        client = Client()
        client.force_login(admin)
        page = client.get(reverse("accounts:member_edit", args=[member.pk])).content.decode()
        assert 'id="login-locked"' not in page and 'id="unlock-form"' not in page

    def test_another_organisations_admin_cannot_unlock(
        self, member: User, orgs: dict[str, Organization], make_user: Callable[..., User]
    ) -> None:
        lock_out("li_si")
        outsider = make_user("dege_admin", orgs["dege"], role=Role.ADMIN)
        client = Client()
        client.force_login(outsider)
        response = client.post(reverse("accounts:member_unlock", args=[member.pk]))
        assert response.status_code == 404
        assert services.login_locked(username="li_si")
        with pytest.raises(NotFound):
            services.unlock_member(outsider, member)

    def test_a_member_who_is_not_an_admin_cannot_unlock(
        self, member: User, users: dict[str, User]
    ) -> None:
        lock_out("li_si")
        client = Client()
        client.force_login(users["jinniu"])
        response = client.post(reverse("accounts:member_unlock", args=[member.pk]))
        assert response.status_code == 403
        with pytest.raises(Forbidden):
            services.unlock_member(users["jinniu"], member)
        assert services.login_locked(username="li_si")

    def test_an_installation_admin_unlocks_any_organisations_member(
        self, member: User, users: dict[str, User]
    ) -> None:
        lock_out("li_si")
        assert services.unlock_member(users["root"], member) > 0
        assert not services.login_locked(username="li_si")
        assert sign_in(browser(), "li_si", PASSWORD) == 302

    def test_unlocking_needs_a_post(self, member: User, admin: User) -> None:
        client = Client()
        client.force_login(admin)
        response = client.get(reverse("accounts:member_unlock", args=[member.pk]))
        assert response.status_code == 405
