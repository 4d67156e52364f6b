"""Account rules: organisation admins manage their own members; users their password and tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from parklink.accounts import services
from parklink.accounts.models import ApiToken, Organization, Role, User
from parklink.core.errors import Conflict, Duplicate, Forbidden, Invalid, NotFound

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Qingbai-river-2024"


def django_says(password: str, user: User | None = None) -> str:
    """What Django's password validators say about `password` (in the active language)."""
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return " ".join(str(message) for message in caught.value.messages)


@pytest.fixture
def admins(orgs: dict[str, Organization], make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "jinniu": make_user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN),
        "dege": make_user("dege_admin", orgs["dege"], role=Role.ADMIN),
    }


def add(actor: User, org: Organization, username: str = "new_member", **extra: str) -> User:
    fields = {
        "display_name": "李专员",
        "email": "li@example.org",
        "role": Role.OFFICER,
        "password": GOOD_PASSWORD,
        **extra,
    }
    return services.create_member(actor, org, username=username, **fields)


class TestCreateMember:
    def test_org_admin_adds_a_member_to_their_organisation(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        member = add(admins["jinniu"], orgs["jinniu"], display_name=" 李专员 ")
        member.refresh_from_db()
        assert (member.organization, member.role, member.display_name, member.email) == (
            orgs["jinniu"],
            Role.OFFICER,
            "李专员",
            "li@example.org",
        )
        assert member.check_password(GOOD_PASSWORD)
        assert member.is_active

    def test_new_member_is_never_staff_or_superuser(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        member = add(admins["jinniu"], orgs["jinniu"], role=Role.ADMIN)
        member.refresh_from_db()
        assert (member.is_staff, member.is_superuser) == (False, False)

    def test_installation_admin_adds_a_member_to_any_organisation(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        member = add(users["root"], orgs["zhangye"], role=Role.ADMIN)
        assert member.organization == orgs["zhangye"]
        assert member.role == Role.ADMIN

    def test_officer_cannot_add_members(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        with pytest.raises(Forbidden):
            add(users["jinniu"], orgs["jinniu"])
        assert not User.objects.filter(username="new_member").exists()

    def test_viewer_cannot_add_members(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        with pytest.raises(Forbidden):
            add(users["jinniu_viewer"], orgs["jinniu"])

    def test_admin_of_another_organisation_finds_no_such_organisation(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        with pytest.raises(NotFound):
            add(admins["dege"], orgs["jinniu"])
        assert not User.objects.filter(username="new_member").exists()

    def test_deactivated_admin_cannot_add_members(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        admin = admins["jinniu"]
        admin.is_active = False
        with pytest.raises(Forbidden):
            add(admin, orgs["jinniu"])

    def test_a_taken_username_is_refused_naming_the_clash(
        self, orgs: dict[str, Organization], admins: dict[str, User], users: dict[str, User]
    ) -> None:
        taken = users["dege"].username
        with pytest.raises(Duplicate) as caught:
            add(admins["jinniu"], orgs["jinniu"], username=taken)
        assert taken in caught.value.message
        assert caught.value.detail == {"username": caught.value.message}
        assert User.objects.filter(username=taken).count() == 1

    def test_usernames_differing_only_in_case_clash(
        self, orgs: dict[str, Organization], admins: dict[str, User], users: dict[str, User]
    ) -> None:
        with pytest.raises(Duplicate) as caught:
            add(admins["jinniu"], orgs["jinniu"], username=users["dege"].username.upper())
        assert users["dege"].username in caught.value.message

    def test_a_taken_username_is_reported_together_with_other_mistakes(
        self, orgs: dict[str, Organization], admins: dict[str, User], users: dict[str, User]
    ) -> None:
        taken = users["dege"].username
        with pytest.raises(Invalid) as caught:
            add(admins["jinniu"], orgs["jinniu"], username=taken, password="123")
        assert set(caught.value.detail) == {"username", "password"}
        assert taken in caught.value.detail["username"]

    def test_a_common_password_is_refused_in_djangos_words(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            add(admins["jinniu"], orgs["jinniu"], password="password123")
        assert caught.value.detail == {"password": django_says("password123")}

    def test_a_password_like_the_username_is_refused(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            add(admins["jinniu"], orgs["jinniu"], username="wangxiaoming", password="wangxiaoming1")
        candidate = User(username="wangxiaoming", email="li@example.org")
        assert caught.value.detail == {"password": django_says("wangxiaoming1", candidate)}

    def test_every_bad_field_is_reported_at_once(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            add(admins["jinniu"], orgs["jinniu"], username="bad name!", email="nope", role="boss")
        assert set(caught.value.detail) == {"username", "email", "role"}

    def test_a_blank_username_or_password_is_refused(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            add(admins["jinniu"], orgs["jinniu"], username="  ", password="")
        assert set(caught.value.detail) == {"username", "password"}


class TestUpdateMember:
    def test_admin_changes_role_name_email_and_active_state(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        member = users["jinniu"]
        services.update_member(
            admins["jinniu"],
            member,
            role=Role.VIEWER,
            display_name="张三",
            email="zhang@example.org",
            is_active=False,
        )
        member.refresh_from_db()
        assert (member.role, member.display_name, member.email, member.is_active) == (
            Role.VIEWER,
            "张三",
            "zhang@example.org",
            False,
        )

    def test_fields_left_out_keep_their_values(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        member = users["jinniu"]
        member.display_name, member.email = "旧名", "old@example.org"
        member.save()
        services.update_member(admins["jinniu"], member, role=Role.ADMIN)
        member.refresh_from_db()
        assert (member.role, member.display_name, member.email, member.is_active) == (
            Role.ADMIN,
            "旧名",
            "old@example.org",
            True,
        )

    def test_admin_of_another_organisation_finds_no_such_user(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        with pytest.raises(NotFound):
            services.update_member(admins["dege"], users["jinniu"], is_active=False)
        users["jinniu"].refresh_from_db()
        assert users["jinniu"].is_active

    def test_officer_cannot_change_members(self, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            services.update_member(users["jinniu"], users["jinniu_viewer"], role=Role.ADMIN)
        users["jinniu_viewer"].refresh_from_db()
        assert users["jinniu_viewer"].role == Role.VIEWER

    def test_officer_cannot_promote_themselves(self, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            services.update_member(users["jinniu"], users["jinniu"], role=Role.ADMIN)

    def test_last_active_admin_cannot_demote_themselves(self, admins: dict[str, User]) -> None:
        admin = admins["jinniu"]
        with pytest.raises(Conflict) as caught:
            services.update_member(admin, admin, role=Role.OFFICER)
        assert set(caught.value.detail) == {"role"}
        admin.refresh_from_db()
        assert admin.role == Role.ADMIN

    def test_last_active_admin_cannot_deactivate_themselves(self, admins: dict[str, User]) -> None:
        admin = admins["jinniu"]
        with pytest.raises(Conflict) as caught:
            services.update_member(admin, admin, is_active=False)
        assert set(caught.value.detail) == {"is_active"}
        admin.refresh_from_db()
        assert admin.is_active

    def test_admin_steps_down_when_another_active_admin_remains(
        self, orgs: dict[str, Organization], admins: dict[str, User], make_user: Callable[..., User]
    ) -> None:
        make_user("jinniu_admin2", orgs["jinniu"], role=Role.ADMIN)
        admin = admins["jinniu"]
        services.update_member(admin, admin, role=Role.OFFICER)
        admin.refresh_from_db()
        assert admin.role == Role.OFFICER

    def test_a_deactivated_admin_does_not_count_as_another_admin(
        self, orgs: dict[str, Organization], admins: dict[str, User], make_user: Callable[..., User]
    ) -> None:
        make_user("jinniu_admin2", orgs["jinniu"], role=Role.ADMIN, is_active=False)
        admin = admins["jinniu"]
        with pytest.raises(Conflict):
            services.update_member(admin, admin, role=Role.VIEWER)

    def test_an_admin_of_another_organisation_does_not_count(self, admins: dict[str, User]) -> None:
        admin = admins["jinniu"]
        assert admins["dege"].is_active
        with pytest.raises(Conflict):
            services.update_member(admin, admin, is_active=False)

    def test_two_admins_demoting_each_other_leave_one_admin(
        self, orgs: dict[str, Organization], admins: dict[str, User], make_user: Callable[..., User]
    ) -> None:
        first = admins["jinniu"]
        second = make_user("jinniu_admin2", orgs["jinniu"], role=Role.ADMIN)
        # Both requests loaded their admin before either change was saved.
        first_seen_by_second = User.objects.get(pk=first.pk)
        services.update_member(first, User.objects.get(pk=second.pk), role=Role.OFFICER)
        with pytest.raises(Forbidden):
            services.update_member(second, first_seen_by_second, role=Role.OFFICER)
        first.refresh_from_db()
        assert first.role == Role.ADMIN

    def test_a_demoted_admin_can_no_longer_reset_passwords(
        self, orgs: dict[str, Organization], admins: dict[str, User], make_user: Callable[..., User]
    ) -> None:
        first = admins["jinniu"]
        second = make_user("jinniu_admin2", orgs["jinniu"], role=Role.ADMIN)
        services.update_member(first, User.objects.get(pk=second.pk), role=Role.OFFICER)
        with pytest.raises(Forbidden):
            services.reset_password(second, User.objects.get(pk=first.pk), GOOD_PASSWORD)

    def test_last_admin_may_edit_their_own_name(self, admins: dict[str, User]) -> None:
        admin = admins["jinniu"]
        services.update_member(admin, admin, display_name="王局长", role=Role.ADMIN, is_active=True)
        admin.refresh_from_db()
        assert admin.display_name == "王局长"

    def test_org_admin_cannot_touch_an_admin_console_account_of_their_organisation(
        self, orgs: dict[str, Organization], admins: dict[str, User], make_user: Callable[..., User]
    ) -> None:
        staff = make_user("jinniu_staff", orgs["jinniu"], role=Role.VIEWER, is_staff=True)
        with pytest.raises(Forbidden):
            services.update_member(admins["jinniu"], staff, role=Role.ADMIN)
        with pytest.raises(Forbidden):
            services.reset_password(admins["jinniu"], staff, GOOD_PASSWORD)

    def test_installation_admin_changes_any_member(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        services.update_member(users["root"], admins["dege"], role=Role.VIEWER)
        admins["dege"].refresh_from_db()
        assert admins["dege"].role == Role.VIEWER

    def test_a_bad_email_changes_nothing(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        member = users["jinniu"]
        with pytest.raises(Invalid) as caught:
            services.update_member(admins["jinniu"], member, display_name="新名", email="x@")
        assert set(caught.value.detail) == {"email"}
        member.refresh_from_db()
        assert member.display_name == ""

    def test_an_unknown_role_is_refused(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        with pytest.raises(Invalid) as caught:
            services.update_member(admins["jinniu"], users["jinniu"], role="superuser")
        assert set(caught.value.detail) == {"role"}


class TestResetPassword:
    def test_admin_gives_a_member_a_new_password(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        services.reset_password(admins["jinniu"], users["jinniu_viewer"], GOOD_PASSWORD)
        users["jinniu_viewer"].refresh_from_db()
        assert users["jinniu_viewer"].check_password(GOOD_PASSWORD)

    def test_a_short_password_is_refused_in_djangos_words(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        member = users["jinniu_viewer"]
        with pytest.raises(Invalid) as caught:
            services.reset_password(admins["jinniu"], member, "x7#")
        assert caught.value.detail == {"password": django_says("x7#", member)}
        member.refresh_from_db()
        assert not member.check_password("x7#")

    def test_admin_of_another_organisation_finds_no_such_user(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        with pytest.raises(NotFound):
            services.reset_password(admins["dege"], users["jinniu"], GOOD_PASSWORD)
        users["jinniu"].refresh_from_db()
        assert not users["jinniu"].check_password(GOOD_PASSWORD)

    def test_org_admin_cannot_reset_an_installation_admins_password(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        root = User.objects.create_superuser("jinniu_root", "r@example.org", "pw-rootroot")
        root.organization = orgs["jinniu"]
        root.save()
        with pytest.raises(Forbidden):
            services.reset_password(admins["jinniu"], root, GOOD_PASSWORD)

    def test_officer_cannot_reset_passwords(self, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            services.reset_password(users["jinniu"], users["jinniu_viewer"], GOOD_PASSWORD)


class TestMembersOf:
    def test_admin_lists_exactly_their_organisations_users_admins_first(
        self, orgs: dict[str, Organization], admins: dict[str, User], users: dict[str, User]
    ) -> None:
        listed = list(services.members_of(admins["jinniu"], orgs["jinniu"]))
        assert listed == [admins["jinniu"], users["jinniu"], users["jinniu_viewer"]]

    def test_admin_of_another_organisation_finds_no_such_organisation(
        self, orgs: dict[str, Organization], admins: dict[str, User]
    ) -> None:
        with pytest.raises(NotFound):
            services.members_of(admins["dege"], orgs["jinniu"])

    def test_viewer_may_not_list_members(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        with pytest.raises(Forbidden):
            services.members_of(users["jinniu_viewer"], orgs["jinniu"])

    def test_installation_admin_lists_any_organisation(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        assert list(services.members_of(users["root"], orgs["dege"])) == [users["dege"]]


class TestGetMember:
    def test_admin_finds_a_member_of_their_organisation(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        assert services.get_member(admins["jinniu"], users["jinniu"].pk) == users["jinniu"]

    def test_a_member_of_another_organisation_looks_missing(
        self, admins: dict[str, User], users: dict[str, User]
    ) -> None:
        with pytest.raises(NotFound) as hidden:
            services.get_member(admins["dege"], users["jinniu"].pk)
        with pytest.raises(NotFound) as missing:
            services.get_member(admins["dege"], 10**9)
        assert hidden.value.message == missing.value.message

    def test_accounts_without_organisation_are_not_members(self, users: dict[str, User]) -> None:
        with pytest.raises(NotFound):
            services.get_member(users["root"], users["root"].pk)

    def test_officer_is_forbidden(self, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            services.get_member(users["jinniu"], users["jinniu_viewer"].pk)


class TestOwnProfile:
    def test_user_changes_their_name_and_email(self, users: dict[str, User]) -> None:
        viewer = users["jinniu_viewer"]
        services.update_profile(viewer, display_name=" 赵六 ", email="zhao@example.org")
        viewer.refresh_from_db()
        assert (viewer.display_name, viewer.email) == ("赵六", "zhao@example.org")

    def test_a_bad_email_is_refused(self, users: dict[str, User]) -> None:
        with pytest.raises(Invalid) as caught:
            services.update_profile(users["jinniu"], display_name="", email="not-an-email")
        assert set(caught.value.detail) == {"email"}


class TestChangeOwnPassword:
    def test_user_changes_their_password(self, users: dict[str, User]) -> None:
        viewer = users["jinniu_viewer"]
        services.change_own_password(viewer, "pw-" + "jinniu_viewer" * 2, GOOD_PASSWORD)
        viewer.refresh_from_db()
        assert viewer.check_password(GOOD_PASSWORD)

    def test_a_wrong_old_password_is_refused(self, users: dict[str, User]) -> None:
        viewer = users["jinniu_viewer"]
        with pytest.raises(Invalid) as caught:
            services.change_own_password(viewer, "wrong", GOOD_PASSWORD)
        assert set(caught.value.detail) == {"old_password"}
        viewer.refresh_from_db()
        assert not viewer.check_password(GOOD_PASSWORD)

    def test_a_weak_new_password_is_refused_in_djangos_words(self, users: dict[str, User]) -> None:
        viewer = users["jinniu_viewer"]
        with pytest.raises(Invalid) as caught:
            services.change_own_password(viewer, "pw-" + "jinniu_viewer" * 2, "12345678")
        assert caught.value.detail == {"password": django_says("12345678", viewer)}


class TestOwnTokens:
    def test_only_the_digest_of_a_new_token_is_stored(self, users: dict[str, User]) -> None:
        token = services.create_token(users["jinniu"], "etl")
        record = ApiToken.objects.get(user=users["jinniu"])
        assert record.digest == hashlib.sha256(token.encode()).hexdigest()
        stored = ApiToken.objects.filter(user=users["jinniu"]).values_list().get()
        assert token not in [str(value) for value in stored]

    def test_list_shows_own_tokens_active_ones_first(self, users: dict[str, User]) -> None:
        services.create_token(users["jinniu"], "old")
        services.create_token(users["jinniu"], "new")
        services.create_token(users["dege"], "theirs")
        old = ApiToken.objects.get(name="old")
        services.revoke_own_token(users["jinniu"], old.pk)
        assert [t.name for t in services.list_tokens(users["jinniu"])] == ["new", "old"]

    def test_user_revokes_their_own_token(self, users: dict[str, User]) -> None:
        token = services.create_token(users["jinniu"])
        record = ApiToken.objects.get(user=users["jinniu"])
        services.revoke_own_token(users["jinniu"], record.pk)
        assert services.user_for_token(token) is None

    def test_revoking_someone_elses_token_is_impossible(self, users: dict[str, User]) -> None:
        token = services.create_token(users["dege"])
        record = ApiToken.objects.get(user=users["dege"])
        for actor in (users["jinniu"], users["root"]):
            with pytest.raises(NotFound):
                services.revoke_own_token(actor, record.pk)
        assert services.user_for_token(token) == users["dege"]

    def test_revoking_twice_does_no_harm(self, users: dict[str, User]) -> None:
        services.create_token(users["jinniu"])
        record = ApiToken.objects.get(user=users["jinniu"])
        services.revoke_own_token(users["jinniu"], record.pk)
        assert services.revoke_own_token(users["jinniu"], record.pk).revoked
