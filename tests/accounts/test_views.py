"""Account pages: my account (profile, password, tokens) and organisation members."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import ApiToken, Organization, Role, User
from parklink.accounts.services import create_token

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Qingbai-river-2024"
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_errors(body: str, field: str) -> list[str]:
    """The error messages shown inside the wrapper of form field `field`."""
    match = re.search(
        rf'<div class="pl-field[^"]*" data-field="{field}">(.*?)\n</div>', body, flags=re.S
    )
    assert match is not None, f"field {field} is not on the page"
    return re.findall(r'<p class="pl-field-error"[^>]*>(.*?)</p>', match.group(1))


@pytest.fixture
def admin(orgs: dict[str, Organization], make_user: Callable[..., User]) -> User:
    return make_user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN, display_name="王管理")


@pytest.fixture
def dege_admin(orgs: dict[str, Organization], make_user: Callable[..., User]) -> User:
    return make_user("dege_admin", orgs["dege"], role=Role.ADMIN)


class TestLogin:
    @pytest.mark.parametrize(
        "name, args",
        [
            ("accounts:account", []),
            ("accounts:members", []),
            ("accounts:member_create", []),
            ("accounts:member_edit", [1]),
        ],
    )
    def test_pages_send_anonymous_visitors_to_the_login(self, name: str, args: list[int]) -> None:
        response = Client().get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestNavigation:
    def test_every_user_sees_my_account(self, users: dict[str, User]) -> None:
        body = client_for(users["jinniu_viewer"]).get(reverse("home")).content.decode()
        assert reverse("accounts:account") in body
        assert reverse("accounts:members") not in body

    def test_org_admins_and_installation_admins_see_members(
        self, admin: User, users: dict[str, User]
    ) -> None:
        for user in (admin, users["root"]):
            body = client_for(user).get(reverse("home")).content.decode()
            assert reverse("accounts:members") in body


class TestAccountPage:
    def test_page_shows_the_users_profile_and_forms(self, admin: User) -> None:
        response = client_for(admin).get(reverse("accounts:account"))
        body = response.content.decode()
        assert response.status_code == 200
        assert 'value="王管理"' in body
        assert 'name="old_password"' in body
        assert 'id="tokens"' in body

    def test_saving_the_profile_changes_name_and_email(self, admin: User) -> None:
        client = client_for(admin)
        response = client.post(
            reverse("accounts:profile"), {"display_name": "王局", "email": "wang@example.org"}
        )
        assert response.status_code == 302
        admin.refresh_from_db()
        assert (admin.display_name, admin.email) == ("王局", "wang@example.org")

    def test_a_bad_email_is_shown_next_to_its_field(self, admin: User) -> None:
        response = client_for(admin).post(
            reverse("accounts:profile"), {"display_name": "王局", "email": "nope"}
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "email")
        admin.refresh_from_db()
        assert admin.display_name == "王管理"

    def test_changing_the_password_keeps_the_user_signed_in(self, admin: User) -> None:
        client = client_for(admin)
        response = client.post(
            reverse("accounts:password"),
            {
                "old_password": "pw-" + "jinniu_admin" * 2,
                "new_password1": GOOD_PASSWORD,
                "new_password2": GOOD_PASSWORD,
            },
        )
        assert response.status_code == 302
        admin.refresh_from_db()
        assert admin.check_password(GOOD_PASSWORD)
        assert client.get(reverse("accounts:account")).status_code == 200

    def test_a_wrong_old_password_is_shown_next_to_its_field(self, admin: User) -> None:
        response = client_for(admin).post(
            reverse("accounts:password"),
            {
                "old_password": "wrong",
                "new_password1": GOOD_PASSWORD,
                "new_password2": GOOD_PASSWORD,
            },
        )
        assert response.status_code == 422
        body = response.content.decode()
        assert field_errors(body, "old_password")
        assert field_errors(body, "new_password1") == []

    def test_a_weak_new_password_is_shown_next_to_the_new_password(self, admin: User) -> None:
        response = client_for(admin).post(
            reverse("accounts:password"),
            {
                "old_password": "pw-" + "jinniu_admin" * 2,
                "new_password1": "12345678",
                "new_password2": "12345678",
            },
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "new_password1")

    def test_mismatched_new_passwords_are_reported(self, admin: User) -> None:
        response = client_for(admin).post(
            reverse("accounts:password"),
            {
                "old_password": "pw-" + "jinniu_admin" * 2,
                "new_password1": GOOD_PASSWORD,
                "new_password2": GOOD_PASSWORD + "x",
            },
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "new_password2")


class TestTokens:
    def new_token_on(self, body: str) -> str:
        match = re.search(r'id="new-token" class="pl-code" value="([^"]+)"', body)
        assert match is not None, "the new token is not shown"
        return match.group(1)

    def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(
        self, users: dict[str, User]
    ) -> None:
        client = client_for(users["jinniu"])
        response = client.post(reverse("accounts:token_create"), {"name": "数据同步"})
        assert response.status_code == 200
        token = self.new_token_on(response.content.decode())
        record = ApiToken.objects.get(user=users["jinniu"])
        assert record.name == "数据同步"
        assert record.digest == hashlib.sha256(token.encode()).hexdigest()
        assert token not in [str(value) for value in ApiToken.objects.values_list().get()]
        again = client.get(reverse("accounts:account")).content.decode()
        assert token not in again
        assert record.prefix in again

    def test_htmx_creation_returns_the_token_section(self, users: dict[str, User]) -> None:
        response = client_for(users["jinniu"]).post(
            reverse("accounts:token_create"), {"name": "etl"}, **HTMX
        )
        body = response.content.decode()
        assert body.startswith('<section class="pl-card" id="tokens">')
        assert "<html" not in body
        token = self.new_token_on(body)
        assert (
            Client(headers={"Authorization": f"Bearer {token}"})
            .get("/api/v1/projects/")
            .status_code
            == 200
        )

    def test_a_too_long_name_is_shown_next_to_its_field(self, users: dict[str, User]) -> None:
        response = client_for(users["jinniu"]).post(
            reverse("accounts:token_create"), {"name": "长" * 65}, **HTMX
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "name")
        assert not ApiToken.objects.exists()

    def test_user_revokes_their_own_token(self, users: dict[str, User]) -> None:
        token = create_token(users["jinniu"], "etl")
        record = ApiToken.objects.get()
        response = client_for(users["jinniu"]).post(
            reverse("accounts:token_revoke", args=[record.pk]), **HTMX
        )
        assert response.status_code == 200
        record.refresh_from_db()
        assert record.revoked
        assert 'id="tokens"' in response.content.decode()
        assert (
            Client(headers={"Authorization": f"Bearer {token}"})
            .get("/api/v1/projects/")
            .status_code
            == 401
        )

    def test_revoking_someone_elses_token_is_impossible(self, users: dict[str, User]) -> None:
        create_token(users["dege"], "theirs")
        record = ApiToken.objects.get()
        for actor in (users["jinniu"], users["root"]):
            response = client_for(actor).post(reverse("accounts:token_revoke", args=[record.pk]))
            assert response.status_code == 404
        record.refresh_from_db()
        assert not record.revoked

    def test_revoking_needs_a_post(self, users: dict[str, User]) -> None:
        create_token(users["jinniu"])
        record = ApiToken.objects.get()
        response = client_for(users["jinniu"]).get(
            reverse("accounts:token_revoke", args=[record.pk])
        )
        assert response.status_code == 405

    def test_the_list_shows_another_users_tokens_to_nobody(self, users: dict[str, User]) -> None:
        create_token(users["dege"], "德格的令牌")
        body = client_for(users["jinniu"]).get(reverse("accounts:account")).content.decode()
        assert "德格的令牌" not in body


class TestMemberAccess:
    @pytest.mark.parametrize("role", ["jinniu", "jinniu_viewer"])
    def test_officers_and_viewers_are_refused_every_member_page(
        self, users: dict[str, User], role: str
    ) -> None:
        client = client_for(users[role])
        member = users["jinniu_viewer"].pk
        for url in (
            reverse("accounts:members"),
            reverse("accounts:member_create"),
            reverse("accounts:member_edit", args=[member]),
        ):
            assert client.get(url).status_code == 403, url
        response = client.post(
            reverse("accounts:member_password", args=[member]),
            {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        )
        assert response.status_code == 403

    def test_an_admin_finds_no_member_of_another_organisation(
        self, admin: User, users: dict[str, User]
    ) -> None:
        client = client_for(admin)
        other = users["dege"]
        assert client.get(reverse("accounts:member_edit", args=[other.pk])).status_code == 404
        response = client.post(
            reverse("accounts:member_edit", args=[other.pk]),
            {"role": "viewer", "display_name": "", "email": ""},
        )
        assert response.status_code == 404
        response = client.post(
            reverse("accounts:member_password", args=[other.pk]),
            {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert (other.role, other.is_active) == (Role.OFFICER, True)
        assert not other.check_password(GOOD_PASSWORD)

    def test_an_admin_cannot_pick_another_organisation(
        self, admin: User, orgs: dict[str, Organization]
    ) -> None:
        response = client_for(admin).get(reverse("accounts:members"), {"org": orgs["dege"].pk})
        body = response.content.decode()
        assert orgs["jinniu"].name in body
        assert "dege_officer" not in body


class TestMemberList:
    def test_admin_sees_their_members_with_role_and_state(
        self, admin: User, users: dict[str, User]
    ) -> None:
        users["jinniu_viewer"].is_active = False
        users["jinniu_viewer"].save()
        body = client_for(admin).get(reverse("accounts:members")).content.decode()
        rows = dict(re.findall(r'<tr data-member="([^"]+)">(.*?)</tr>', body, flags=re.S))
        assert set(rows) == {"jinniu_admin", "jinniu_officer", "jinniu_viewer"}
        assert 'data-role="admin"' in rows["jinniu_admin"]
        assert 'data-role="viewer"' in rows["jinniu_viewer"]
        assert "已停用" in rows["jinniu_viewer"]
        assert "已停用" not in rows["jinniu_officer"]
        assert "从未登录" in rows["jinniu_officer"]

    def test_installation_admin_chooses_an_organisation(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        client = client_for(users["root"])
        first = client.get(reverse("accounts:members")).content.decode()
        assert 'id="org-chooser"' in first
        assert "data-member=" not in first
        body = client.get(reverse("accounts:members"), {"org": orgs["dege"].pk}).content.decode()
        assert re.findall(r'<tr data-member="([^"]+)">', body) == ["dege_officer"]

    def test_an_unknown_organisation_is_a_404_for_installation_admins(
        self, users: dict[str, User]
    ) -> None:
        response = client_for(users["root"]).get(reverse("accounts:members"), {"org": "999999"})
        assert response.status_code == 404

    def test_a_digit_python_cannot_read_as_a_number_is_a_404_too(
        self, users: dict[str, User]
    ) -> None:
        response = client_for(users["root"]).get(reverse("accounts:members"), {"org": "²"})
        assert response.status_code == 404


class TestAddMember:
    def form(self, **changes: str) -> dict[str, str]:
        return {
            "username": "li_si",
            "display_name": "李四",
            "email": "li@example.org",
            "role": "officer",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            **changes,
        }

    def test_admin_adds_a_member_who_can_then_sign_in(
        self, admin: User, orgs: dict[str, Organization]
    ) -> None:
        response = client_for(admin).post(reverse("accounts:member_create"), self.form())
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:members")
        member = User.objects.get(username="li_si")
        assert (member.organization, member.role, member.is_staff) == (
            orgs["jinniu"],
            Role.OFFICER,
            False,
        )
        assert Client().login(request=HttpRequest(), username="li_si", password=GOOD_PASSWORD)

    def test_a_taken_username_is_shown_next_to_the_field(
        self, admin: User, users: dict[str, User]
    ) -> None:
        response = client_for(admin).post(
            reverse("accounts:member_create"), self.form(username="dege_officer")
        )
        assert response.status_code == 422
        errors = field_errors(response.content.decode(), "username")
        assert len(errors) == 1 and "dege_officer" in errors[0]

    def test_a_weak_password_is_shown_next_to_the_password(self, admin: User) -> None:
        response = client_for(admin).post(
            reverse("accounts:member_create"), self.form(password1="li_si123", password2="li_si123")
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "password1")
        assert not User.objects.filter(username="li_si").exists()

    def test_staff_flags_in_the_request_are_ignored(self, admin: User) -> None:
        client_for(admin).post(
            reverse("accounts:member_create"),
            self.form(is_staff="on", is_superuser="on", role="admin"),
        )
        member = User.objects.get(username="li_si")
        assert (member.is_staff, member.is_superuser, member.role) == (False, False, Role.ADMIN)

    def test_installation_admin_adds_to_the_chosen_organisation(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        url = reverse("accounts:member_create") + f"?org={orgs['zhangye'].pk}"
        response = client_for(users["root"]).post(url, self.form(role="admin"))
        assert response.status_code == 302
        assert User.objects.get(username="li_si").organization == orgs["zhangye"]


class TestEditMember:
    def test_admin_changes_a_members_role_and_deactivates_them(
        self, admin: User, users: dict[str, User]
    ) -> None:
        member = users["jinniu"]
        response = client_for(admin).post(
            reverse("accounts:member_edit", args=[member.pk]),
            {"display_name": "周专员", "email": "", "role": "viewer"},  # unchecked: not active
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.display_name, member.role, member.is_active) == (
            "周专员",
            Role.VIEWER,
            False,
        )

    def test_the_last_admin_sees_why_they_cannot_demote_themselves(self, admin: User) -> None:
        response = client_for(admin).post(
            reverse("accounts:member_edit", args=[admin.pk]),
            {"display_name": "王管理", "email": "", "role": "officer", "is_active": "on"},
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "role")
        admin.refresh_from_db()
        assert admin.role == Role.ADMIN

    def test_admin_resets_a_members_password(self, admin: User, users: dict[str, User]) -> None:
        member = users["jinniu_viewer"]
        response = client_for(admin).post(
            reverse("accounts:member_password", args=[member.pk]),
            {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        )
        assert response.status_code == 302
        assert Client().login(
            request=HttpRequest(), username=member.username, password=GOOD_PASSWORD
        )

    def test_a_common_password_is_shown_next_to_the_new_password(
        self, admin: User, users: dict[str, User]
    ) -> None:
        response = client_for(admin).post(
            reverse("accounts:member_password", args=[users["jinniu_viewer"].pk]),
            {"new_password1": "password", "new_password2": "password"},
        )
        assert response.status_code == 422
        assert field_errors(response.content.decode(), "new_password1")


class TestEnglish:
    def test_members_page_reads_in_english(self, admin: User) -> None:
        client = client_for(admin)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = client.get(reverse("accounts:members")).content.decode()
        assert "机构成员" not in body
        assert "添加成员" not in body


class TestStaffAccountsAreOffLimits:
    def test_org_admin_gets_403_on_a_staff_members_edit_page(self, orgs, make_user):  # type: ignore[no-untyped-def]
        from django.test import Client

        admin = make_user("jinniu_admin_x", orgs["jinniu"], role="admin")
        staff = make_user("jinniu_staff_x", orgs["jinniu"], role="officer", is_staff=True)
        client = Client()
        client.force_login(admin)
        assert client.get(f"/account/members/{staff.pk}/").status_code == 403
