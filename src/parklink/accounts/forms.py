"""Forms of the account pages: profile, password, API tokens and organisation members.

Forms check the shape of the input (lengths, matching passwords); accounts.services checks
the rules (password strength, unique user names, who may change whom) and the views show
its refusals next to the field they name (`core.forms.show_service_error`, through a form's
`field_map`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization, Role, User

_NAME_LIMIT = 64


class ProfileForm(forms.Form):
    """The user's own name and e-mail address."""

    display_name = forms.CharField(label=_("姓名"), max_length=_NAME_LIMIT, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class PasswordForm(PasswordChangeForm):
    """Django's change-password form; the service checks the old password and the validators."""

    field_map = {"password": "new_password1"}

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        # The account page opens on the profile, not on this form further down.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)

    def clean_old_password(self) -> str:
        return str(self.cleaned_data["old_password"])

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        return forms.Form.clean(self) or {}


class TokenForm(forms.Form):
    """A new API token; the name says what it is for."""

    name = forms.CharField(
        label=_("用途"),
        max_length=_NAME_LIMIT,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如“数据同步脚本”")}),
    )


class MemberCreateForm(SetPasswordMixin, forms.Form):
    """A new member of the organisation, with a role and an initial password."""

    field_map = {"password": "password1"}

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录时使用;字母、数字和 @ . + - _"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    display_name = forms.CharField(label=_("姓名"), max_length=_NAME_LIMIT, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices, initial=Role.OFFICER)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("初始密码"), label2=_("确认密码")
    )

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("password1", "password2")
        return super().clean() or {}


class MemberEditForm(forms.Form):
    """A member's name, e-mail, role and whether the account may sign in."""

    display_name = forms.CharField(label=_("姓名"), max_length=_NAME_LIMIT, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("启用"), required=False, help_text=_("停用的账号不能登录,其令牌也失效。")
    )

    @classmethod
    def for_member(cls, member: User, data: Any = None) -> MemberEditForm:
        initial = {
            "display_name": member.display_name,
            "email": member.email,
            "role": member.role,
            "is_active": member.is_active,
        }
        return cls(data, initial=initial)


class ResetPasswordForm(SetPasswordForm):
    """A new password an admin gives a member; the service applies Django's validators."""

    field_map = {"password": "new_password1"}

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        return forms.Form.clean(self) or {}


class OrganizationChoiceForm(forms.Form):
    """Installation admins pick the organisation whose members they manage."""

    org = forms.ModelChoiceField(
        label=_("机构"),
        queryset=Organization.objects.order_by("name"),
        empty_label=_("— 选择机构 —"),
    )
