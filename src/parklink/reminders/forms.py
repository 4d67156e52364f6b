"""The 提醒设置 form and the group robot form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parklink.core.forms import set_choices
from parklink.reminders.models import Webhook


class PreferenceForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label=_("屏蔽这些提醒"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选的类别不再出现在“我的提醒”、首页和每日邮件中。"),
    )
    email_digest = forms.BooleanField(label=_("每天发送提醒邮件"), required=False)
    language = forms.ChoiceField(label=_("邮件语言"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "muted", kinds)


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Webhook.Kind.choices)
    url = forms.URLField(
        label=_("Webhook 地址"),
        max_length=500,
        assume_scheme="https",
        help_text=_("在群设置中添加机器人后复制的地址。"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        help_text=_("仅钉钉:安全设置选择“加签”时填写以 SEC 开头的密钥。"),
    )
    language = forms.ChoiceField(label=_("消息语言"), choices=settings.LANGUAGES)
