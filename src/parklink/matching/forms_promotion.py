"""Forms of the promotion pages: what an officer publishes, what an investor sends."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.matching.models_promotion import PublicationKind


class PublishForm(forms.Form):
    kind = forms.ChoiceField(label=_("发布内容"), choices=PublicationKind.choices)
    park = forms.TypedChoiceField(label=_("园区"), required=False, coerce=int, empty_value=None)
    chain = forms.ChoiceField(label=_("产业链"), required=False)
    policy = forms.TypedChoiceField(label=_("政策"), required=False, coerce=int, empty_value=None)
    project = forms.TypedChoiceField(label=_("项目"), required=False, coerce=int, empty_value=None)
    summary = forms.CharField(
        label=_("对外介绍(项目必填)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    show_amounts = forms.BooleanField(label=_("公开投资额"), required=False)

    def __init__(
        self,
        *args: Any,
        parks: list[tuple[int, str]],
        chains: list[tuple[str, str]],
        policies: list[tuple[int, str]],
        projects: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["park"].choices = blank + parks  # type: ignore[attr-defined]
        self.fields["chain"].choices = blank + chains  # type: ignore[attr-defined]
        self.fields["policy"].choices = blank + policies  # type: ignore[attr-defined]
        self.fields["project"].choices = blank + projects  # type: ignore[attr-defined]


class EnquiryForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    company = forms.CharField(label=_("公司"), max_length=200)
    contact = forms.CharField(label=_("联系方式(电话或邮箱)"), max_length=128)
    interest = forms.CharField(label=_("投资意向"), max_length=200)
    publication = forms.TypedChoiceField(
        label=_("感兴趣的内容"), required=False, coerce=int, empty_value=None
    )
    message = forms.CharField(
        label=_("留言"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    # A field people never see: a bot that fills it is thanked and forgotten.
    website = forms.CharField(label=_("网址(请勿填写)"), required=False, max_length=200)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publication"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
