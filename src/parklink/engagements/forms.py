"""The engagements app's forms: they only parse; the services check and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import User
from parklink.core.pickers import MultiPicker, Picker
from parklink.engagements import queries
from parklink.engagements.models import Contact, EngagementKind, FollowUpStatus
from parklink.enterprises.models import Enterprise
from parklink.projects.models import Project
from parklink.projects.queries import visible_projects


class DateInput(forms.DateInput):
    """A browser date picker; its value is ISO (yyyy-mm-dd) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        org = obj.organization.name if obj.organization else _("无机构")
        return f"{obj} · {org}"


class AssigneeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        org = obj.organization.name if obj.organization else _("无机构")
        return f"{obj} · {org}"


class ContactChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.enterprise.name}"


def people() -> Any:
    return (
        User.objects.filter(is_active=True, organization__isnull=False)
        .select_related("organization")
        .order_by("organization__name", "username")
    )


class EngagementForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=EngagementKind.choices)
    held_on = forms.DateField(label=_("日期"), widget=DateInput)
    title = forms.CharField(label=_("主题"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("对接企业"),
        queryset=Enterprise.objects.order_by("name"),
        widget=MultiPicker("enterprise"),
        required=False,
        help_text=_("按住 Ctrl(Mac 上为 Command)可多选;选中后下方显示谁最近接触过这些企业"),
    )
    contacts = ContactChoice(label=_("客商联系人"), queryset=Contact.objects.none(), required=False)
    purpose = forms.CharField(
        label=_("目的"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    summary = forms.CharField(
        label=_("纪要"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    requests = forms.CharField(
        label=_("企业诉求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("相关项目"),
        queryset=Project.objects.none(),
        required=False,
        widget=MultiPicker("project"),
    )
    signed_projects = forms.ModelMultipleChoiceField(
        label=_("现场签约项目"),
        queryset=Project.objects.none(),
        required=False,
        widget=MultiPicker("project"),
        help_text=_("仅招商推介会、签约仪式、对接会"),
    )
    signed_count = forms.IntegerField(
        label=_("签约项目数"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("活动上签约的项目总数,可多于上面关联的项目"),
    )
    participants = UserChoice(
        label=_("参加人员(本系统用户)"), queryset=User.objects.none(), required=False
    )
    other_participants = forms.CharField(
        label=_("其他参加人员"),
        max_length=500,
        required=False,
        help_text=_("不在本系统中的人员,以顿号分隔"),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = (  # type: ignore[attr-defined]
            queries.visible_contacts(user)
            .filter(owner_id=user.organization_id)
            .select_related("enterprise")
            .order_by("enterprise__name", "name")
        )
        seen = visible_projects(user).order_by("name")
        self.fields["projects"].queryset = seen  # type: ignore[attr-defined]
        self.fields["signed_projects"].queryset = seen  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people()  # type: ignore[attr-defined]
        for name in ("contacts", "participants"):
            self.fields[name].widget.attrs["size"] = 6


class NewEngagementForm(EngagementForm):
    """The new-engagement form also takes its first follow-up (optional)."""

    task = forms.CharField(label=_("跟进事项"), max_length=300, required=False)
    assignee = AssigneeChoice(label=_("跟进负责人"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("跟进期限"), widget=DateInput, required=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["assignee"].queryset = people()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("task", "assignee", "due_on") if data.get(name)]
        if given and len(given) < 3:
            for name in ("task", "assignee", "due_on"):
                if not data.get(name):
                    self.add_error(name, _("填写跟进事项时,事项、负责人和期限都要填"))
        return data


class FollowUpForm(forms.Form):
    task = forms.CharField(label=_("跟进事项"), max_length=300)
    assignee = AssigneeChoice(label=_("负责人"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("完成期限"), widget=DateInput)

    def __init__(self, assignable: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable  # type: ignore[attr-defined]


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=FollowUpStatus.choices)
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput, required=False)
    note = forms.CharField(label=_("办理情况"), max_length=5000, required=False)


class ContactForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("所在企业"),
        queryset=Enterprise.objects.order_by("name"),
        widget=Picker("enterprise"),
    )
    name = forms.CharField(label=_("姓名"), max_length=64)
    title = forms.CharField(label=_("职务"), max_length=64, required=False)
    phone = forms.CharField(label=_("电话"), max_length=32, required=False)
    wechat = forms.CharField(label=_("微信"), max_length=64, required=False)
    email = forms.CharField(label=_("邮箱"), max_length=254, required=False)
    notes = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部")), *EngagementKind.choices], required=False
    )
    since = forms.DateField(label=_("日期自"), widget=DateInput, required=False)
    until = forms.DateField(label=_("日期至"), widget=DateInput, required=False)
    enterprise = forms.CharField(label=_("企业"), max_length=100, required=False)
    owner = forms.ChoiceField(label=_("所属机构"), choices=[], required=False)
    q = forms.CharField(label=_("主题"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("结束日期不能早于开始日期"))
        return data
