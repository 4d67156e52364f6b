"""Account pages: my account (profile, password, API tokens) and organisation members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.accounts import services
from parklink.accounts.forms import (
    MemberCreateForm,
    MemberEditForm,
    OrganizationChoiceForm,
    PasswordForm,
    ProfileForm,
    ResetPasswordForm,
    TokenForm,
)
from parklink.accounts.models import Organization, User
from parklink.core.errors import Forbidden
from parklink.core.forms import refusals_on
from parklink.core.views import INVALID, authenticated, is_fragment


def _attempt(form: BaseForm, action: Callable[[], Any]) -> bool:
    """Run `action()` once the form is valid; show a service's refusal on the form."""
    if not form.is_valid():
        return False
    with refusals_on(form, getattr(form, "field_map", None)) as outcome:
        action()
    return outcome.ok


# ---------------------------------------------------------------- my account


def _account_page(
    request: HttpRequest, status: int = 200, new_token: str = "", **forms: BaseForm
) -> HttpResponse:
    user = authenticated(request)
    context = {
        "profile_form": forms.get("profile_form")
        or ProfileForm(initial={"display_name": user.display_name, "email": user.email}),
        "password_form": forms.get("password_form") or PasswordForm(user),
        **_tokens_context(user, new_token, forms.get("token_form")),
    }
    return render(request, "accounts/account.html", context, status=status)


def _tokens_context(
    user: User, new_token: str = "", form: BaseForm | None = None
) -> dict[str, Any]:
    return {
        "tokens": services.list_tokens(user),
        "token_form": form or TokenForm(),
        "new_token": new_token,
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """我的账号: the user's profile, password and API tokens."""
    return _account_page(request)


@login_required
@require_POST
def profile(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = ProfileForm(request.POST)
    if _attempt(
        form,
        lambda: services.update_profile(
            user,
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
        ),
    ):
        messages.success(request, _("个人信息已保存。"))
        return redirect("accounts:account")
    return _account_page(request, INVALID, profile_form=form)


@login_required
@require_POST
def password(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = PasswordForm(user, request.POST)
    if _attempt(
        form,
        lambda: services.change_own_password(
            user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"]
        ),
    ):
        update_session_auth_hash(request, user)  # stay signed in with the new password
        messages.success(request, _("密码已修改。"))
        return redirect("accounts:account")
    return _account_page(request, INVALID, password_form=form)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show it this once; only its digest is kept."""
    user = authenticated(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        if is_fragment(request):
            context = _tokens_context(user, form=form)
            return render(request, "accounts/_tokens.html", context, status=INVALID)
        return _account_page(request, INVALID, token_form=form)
    token = services.create_token(user, form.cleaned_data["name"])
    if is_fragment(request):
        return render(request, "accounts/_tokens.html", _tokens_context(user, token))
    return _account_page(request, new_token=token)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = authenticated(request)
    token = services.revoke_own_token(user, token_id)
    if is_fragment(request):
        return render(request, "accounts/_tokens.html", _tokens_context(user))
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect(reverse("accounts:account") + "#tokens")


# ---------------------------------------------------------------- organisation members


def _chosen_org(request: HttpRequest) -> Organization | None:
    """The organisation whose members the page manages (installation admins choose one)."""
    user = authenticated(request)
    if not services.can_manage_members(user):
        raise Forbidden(_("只有机构管理员可以管理成员。"))
    if not user.is_superuser:
        return user.organization
    chosen = request.GET.get("org", "")
    if not chosen:
        return user.organization
    digits = chosen.isascii() and chosen.isdigit()  # "²".isdigit(), but int("²") fails
    org = Organization.objects.filter(pk=int(chosen)).first() if digits else None
    if org is None:
        raise Http404(_("机构不存在。"))
    return org


def _members_url(org: Organization, user: User) -> str:
    url = reverse("accounts:members")
    return f"{url}?{urlencode({'org': org.pk})}" if user.is_superuser else url


@login_required
def members(request: HttpRequest) -> HttpResponse:
    """机构成员: the organisation's users with role, last login and state."""
    user = authenticated(request)
    org = _chosen_org(request)
    rows: list[User] = []
    if org is not None:
        rows = list(services.members_of(user, org))
    chooser = (
        OrganizationChoiceForm(initial={"org": org.pk if org else None})
        if user.is_superuser
        else None
    )
    context = {"org": org, "members": rows, "chooser": chooser}
    return render(request, "accounts/members.html", context)


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    org = _chosen_org(request)
    if org is None:
        return redirect("accounts:members")
    services.ensure_can_manage(user, org)
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and _attempt(
        form,
        lambda: services.create_member(
            user,
            org,
            username=form.cleaned_data["username"],
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            password=form.cleaned_data["password1"],
        ),
    ):
        messages.success(
            request,
            _("已添加成员“%(username)s”。") % {"username": form.cleaned_data["username"]},
        )
        return redirect(_members_url(org, user))
    status = INVALID if request.method == "POST" else 200
    context = {"form": form, "org": org, "members_url": _members_url(org, user)}
    return render(request, "accounts/member_create.html", context, status=status)


def _org_of(member: User) -> Organization:
    assert member.organization is not None  # get_member returns members of organisations
    return member.organization


def _member_page(
    request: HttpRequest, member: User, status: int = 200, **forms: BaseForm
) -> HttpResponse:
    context = {
        "member": member,
        "form": forms.get("form") or MemberEditForm.for_member(member),
        "password_form": forms.get("password_form") or ResetPasswordForm(member),
        "members_url": _members_url(_org_of(member), authenticated(request)),
        "is_self": member.pk == request.user.pk,
        "login_locked": services.login_locked(username=member.username),
    }
    return render(request, "accounts/member_edit.html", context, status=status)


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    member = services.get_editable_member(user, pk)
    if request.method != "POST":
        return _member_page(request, member)
    form = MemberEditForm.for_member(member, request.POST)
    # The service changes its own copy, so the page header keeps the saved values on errors.
    target = services.get_member(user, pk)
    if _attempt(
        form,
        lambda: services.update_member(
            user,
            target,
            role=form.cleaned_data["role"],
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            is_active=form.cleaned_data["is_active"],
        ),
    ):
        messages.success(request, _("成员“%(name)s”的信息已保存。") % {"name": target})
        return redirect(_members_url(_org_of(target), user))
    return _member_page(request, member, INVALID, form=form)


@login_required
@require_POST
def member_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    member = services.get_editable_member(user, pk)
    form = ResetPasswordForm(member, request.POST)
    if _attempt(
        form, lambda: services.reset_password(user, member, form.cleaned_data["new_password1"])
    ):
        if member.pk == user.pk:
            update_session_auth_hash(request, member)
        messages.success(request, _("已为“%(name)s”设置新密码。") % {"name": member})
        return redirect("accounts:member_edit", pk=member.pk)
    return _member_page(request, member, INVALID, password_form=form)


@login_required
@require_POST
def member_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a member's login lockout (too many failed logins) before it runs out."""
    user = authenticated(request)
    member = services.get_editable_member(user, pk)
    services.unlock_member(user, member)
    messages.success(request, _("已解除“%(name)s”的登录锁定。") % {"name": member})
    return redirect("accounts:member_edit", pk=member.pk)
