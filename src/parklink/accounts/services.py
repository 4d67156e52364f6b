"""Account rules: API tokens, the write rule every app shares, members managed by their org.

This is the only code that writes users: organisation admins manage their own members, every
user their own profile, password and tokens.
"""

from __future__ import annotations

import hashlib
import secrets

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Case, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import ApiToken, Organization, Role, User
from parklink.core.errors import Conflict, Duplicate, Forbidden, Invalid, NotFound

TOKEN_PREFIX = "pl_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "") -> str:
    """Create a token and return it; it is shown once and only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=_digest(token), prefix=token[:10])
    return token


def user_for_token(token: str) -> User | None:
    record = (
        ApiToken.objects.select_related("user", "user__organization", "user__organization__region")
        .filter(digest=_digest(token), revoked=False, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user


def ensure_can_write(user: User, owner_id: int | None) -> None:
    """Refuse a change unless the user is an officer/admin of the owning organisation."""
    if user.is_superuser:
        return
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    if owner_id is None or user.organization_id != owner_id:
        raise Forbidden(_("只有所属机构的用户可以修改这条记录。"))


def ensure_member(user: User) -> None:
    if not user.is_superuser and user.organization_id is None:
        raise Forbidden(_("用户未关联任何机构。"))


@transaction.atomic
def revoke_token(prefix: str) -> ApiToken:
    """Revoke the one active token that starts with `prefix` (the whole token works too)."""
    # Tokens keep their first ten characters.
    matches = list(
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(prefix__startswith=prefix[:10], revoked=False)
    )
    if not prefix or not matches:
        raise NotFound(
            _("没有以此开头的有效令牌 (no active token starts with): %(prefix)s")
            % {"prefix": prefix}
        )
    if len(matches) > 1:
        raise Conflict(_("前缀匹配多个令牌,请写得更长: %(prefix)s") % {"prefix": prefix})
    token = matches[0]
    token.revoked = True
    token.save(update_fields=["revoked", "updated_at"])
    return token


# ---------------------------------------------------------------- own tokens


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, active ones first, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("revoked", "-created_at", "-id"))


@transaction.atomic
def revoke_own_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; anyone else's token does not exist for them."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("令牌不存在。"))
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked", "updated_at"])
    return token


# ---------------------------------------------------------------- own profile and password


@transaction.atomic
def update_profile(user: User, *, display_name: str, email: str) -> User:
    """Change the user's own name and e-mail address."""
    errors: dict[str, str] = {}
    user.display_name = _clean_display_name(display_name, errors)
    user.email = _clean_email(email, errors)
    _raise_if(errors)
    user.save(update_fields=["display_name", "email"])
    return user


@transaction.atomic
def change_own_password(user: User, old_password: str, new_password: str) -> User:
    """Change the user's own password after checking the current one."""
    errors: dict[str, str] = {}
    if not user.check_password(old_password):
        errors["old_password"] = _("原密码不正确,请重新输入。")
    _check_password(new_password, user, errors)
    _raise_if(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


# ---------------------------------------------------------------- organisation members


def can_manage_members(actor: User, org: Organization | None = None) -> bool:
    """True for installation admins and for active admins of `org` (of any org when None)."""
    if not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if actor.organization_id is None or actor.role != Role.ADMIN:
        return False
    return org is None or org.pk == actor.organization_id


def ensure_can_manage(actor: User, org: Organization) -> None:
    """Refuse unless `actor` administers `org`; another organisation looks missing (404)."""
    if can_manage_members(actor, org):
        return
    if can_manage_members(actor):
        raise NotFound(_("机构不存在。"))
    raise Forbidden(_("只有机构管理员可以管理成员。"))


def members_of(actor: User, org: Organization) -> QuerySet[User]:
    """The users of `org`, admins first, then by user name."""
    ensure_can_manage(actor, org)
    role_order = Case(
        *(When(role=role, then=Value(index)) for index, role in enumerate(Role.values)),
        default=Value(len(Role.values)),
    )
    return (
        User.objects.filter(organization=org)
        .select_related("organization")
        .order_by(role_order, "username")
    )


def get_editable_member(actor: User, member_id: int) -> User:
    """Like get_member, but refuses (403) accounts only an installation admin may change."""
    member = get_member(actor, member_id)
    if (member.is_superuser or member.is_staff) and not actor.is_superuser:
        raise Forbidden(_("管理后台账号只能由安装管理员修改。"))
    return member


def get_member(actor: User, member_id: int) -> User:
    """A member of an organisation the actor administers; any other user is a 404."""
    if not can_manage_members(actor):
        raise Forbidden(_("只有机构管理员可以管理成员。"))
    members = User.objects.select_related("organization").filter(organization__isnull=False)
    if not actor.is_superuser:
        members = members.filter(organization=actor.organization)
    member = members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("用户不存在。"))
    return member


@transaction.atomic
def create_member(
    actor: User,
    org: Organization,
    username: str,
    display_name: str,
    email: str,
    role: str,
    password: str,
) -> User:
    """Add a user to `org` with a role and an initial password (never staff or superuser)."""
    ensure_can_manage(actor, org)
    errors: dict[str, str] = {}
    member = User(
        username=_clean_username(username, errors),
        display_name=_clean_display_name(display_name, errors),
        email=_clean_email(email, errors),
        role=_clean_role(role, errors),
        organization=org,
        is_staff=False,
        is_superuser=False,
    )
    _check_password(password, member, errors)
    clash = _username_clash(member.username) if "username" not in errors else None
    if clash is not None and errors:
        errors["username"] = clash.message  # report it with the other mistakes, not after
    _raise_if(errors)
    if clash is not None:
        raise clash
    member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent request took the name first
        raise _username_taken(member.username) from exc
    return member


@transaction.atomic
def update_member(
    actor: User,
    member: User,
    *,
    role: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a member's role, name, e-mail or active state; the last admin cannot step down."""
    org = _member_org(actor, member)
    errors: dict[str, str] = {}
    changes = {
        "display_name": member.display_name
        if display_name is None
        else _clean_display_name(display_name, errors),
        "email": member.email if email is None else _clean_email(email, errors),
        "role": member.role if role is None else _clean_role(role, errors),
        "is_active": member.is_active if is_active is None else is_active,
    }
    _raise_if(errors)
    was_admin = member.role == Role.ADMIN and member.is_active
    stays_admin = changes["role"] == Role.ADMIN and bool(changes["is_active"])
    if member.pk == actor.pk and was_admin and not stays_admin:
        _ensure_not_last_admin(
            org, member, "role" if changes["role"] != Role.ADMIN else "is_active"
        )
    for name, value in changes.items():
        setattr(member, name, value)
    member.save(update_fields=list(changes))
    return member


@transaction.atomic
def reset_password(actor: User, member: User, new: str) -> User:
    """Give a member a new password (they should change it after signing in)."""
    _member_org(actor, member)
    errors: dict[str, str] = {}
    _check_password(new, member, errors)
    _raise_if(errors)
    member.set_password(new)
    member.save(update_fields=["password"])
    return member


# ---------------------------------------------------------------- login lockout (django-axes)


def login_locked(*, username: str = "", address: str = "") -> bool:
    """True while failed logins of this user name (or from this address) keep it locked out.

    The same rule as django-axes' database handler: the failures recorded within the cool-off
    time (settings.AXES_COOLOFF_TIME, counted back from now) reach AXES_FAILURE_LIMIT.
    """
    if not (username or address):
        return False
    attempts = AccessAttempt.objects.filter(
        **({"username": username} if username else {"ip_address": address})
    )
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    return failures >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def unlock_member(actor: User, member: User) -> int:
    """Forget a member's failed logins so they may sign in at once; the count forgotten.

    Organisation admins unlock their own members, installation admins anyone's; a locked
    address is left to installation admins (`parklink axes_reset_ip`).
    """
    _member_org(actor, member)
    return int(reset_login_failures(username=member.username))


def _member_org(actor: User, member: User) -> Organization:
    """The member's organisation once the actor may change this member, locked for the change."""
    org = member.organization
    if org is None:
        if can_manage_members(actor):
            raise NotFound(_("用户不存在。"))
        raise Forbidden(_("只有机构管理员可以管理成员。"))
    try:
        ensure_can_manage(actor, org)
    except NotFound as exc:
        raise NotFound(_("用户不存在。")) from exc
    if (member.is_superuser or member.is_staff) and not actor.is_superuser:
        raise Forbidden(_("管理后台账号只能由安装管理员修改。"))
    # Serialises changes to one organisation's members, so two admins cannot both step down.
    locked = Organization.objects.select_for_update().get(pk=org.pk)
    # Read the actor's role again under the lock: another admin may have just demoted them
    # (two admins demoting each other at once would otherwise leave the organisation none).
    still_admin = User.objects.filter(
        pk=actor.pk, organization=locked, role=Role.ADMIN, is_active=True
    ).exists()
    if not (actor.is_superuser or still_admin):
        raise Forbidden(_("只有机构管理员可以管理成员。"))
    return locked


def _ensure_not_last_admin(org: Organization, member: User, field: str) -> None:
    others = (
        User.objects.filter(organization=org, role=Role.ADMIN, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    )
    if not others:
        message = _(
            "您是本机构唯一的在用管理员,不能取消自己的管理员角色或停用自己;请先指定另一位管理员。"
        )
        raise Conflict(message, detail={field: message})


# ---------------------------------------------------------------- field checks


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _clean_username(username: str, errors: dict[str, str]) -> str:
    username = (username or "").strip()
    limit = User._meta.get_field("username").max_length or 150
    if not username:
        errors["username"] = _("请填写用户名。")
    elif len(username) > limit:
        errors["username"] = _("用户名不能超过%(limit)d个字符。") % {"limit": limit}
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            errors["username"] = _messages(exc)
    return username


def _username_taken(username: str) -> Duplicate:
    message = _("用户名“%(username)s”已被使用,请换一个。") % {"username": username}
    return Duplicate(message, detail={"username": message})


def _username_clash(username: str) -> Duplicate | None:
    """The error for a taken name, whatever its case (“Zhang” and “zhang” look like one)."""
    taken = User.objects.filter(username__iexact=username).values_list("username", flat=True)
    name = taken.first()
    return _username_taken(name) if name is not None else None


def _clean_display_name(display_name: str, errors: dict[str, str]) -> str:
    display_name = (display_name or "").strip()
    limit = User._meta.get_field("display_name").max_length or 64
    if len(display_name) > limit:
        errors["display_name"] = _("姓名不能超过%(limit)d个字符。") % {"limit": limit}
    return display_name


def _clean_email(email: str, errors: dict[str, str]) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("请输入有效的电子邮箱地址。")
    return email


def _clean_role(role: str, errors: dict[str, str]) -> str:
    if role not in Role.values:
        errors["role"] = _("未知角色:%(role)s") % {"role": role}
    return role


def _check_password(password: str, user: User, errors: dict[str, str]) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), in their words."""
    if not password:
        errors["password"] = _("请填写密码。")
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = _messages(exc)
