"""The intel pages' forms: an article to paste, files to upload, an item's fields, decisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.core.forms import WanField, plain
from parklink.core.money import in_unit, to_yuan
from parklink.intel.models import ItemStatus
from parklink.projects.models import AmountQualifier, ProjectStage

KIND_CHOICES = [
    ("total_investment", _("总投资")),
    ("phase_investment", _("一期投资")),
    ("agreed_investment", _("签约投资")),
    ("", _("无投资额")),
]
ENTRY_STAGES = [
    (value, label)
    for value, label in ProjectStage.choices
    if value not in (ProjectStage.STALLED, ProjectStage.TERMINATED)
]


class PasteForm(forms.Form):
    title = forms.CharField(label=_("标题"), required=False, max_length=300)
    url = forms.URLField(
        label=_("原文链接"), required=False, max_length=1000, assume_scheme="https"
    )
    published = forms.DateField(
        label=_("发布日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("用于推算文中“3月21日”等日期;留空则从文中识别"),
    )
    text = forms.CharField(
        label=_("文章正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("可直接粘贴网页全文,导航、广告、“相关文章”等会自动去除"),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked as a file, the list is the value."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(one, initial) for one in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    uploads = MultipleFileField(
        label=_("文件"),
        widget=MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.docx,.pdf,.zip"}),
        help_text=_("可多选;支持 txt、html、docx、pdf,以及包含这些文件的 zip 压缩包"),
        error_messages={"required": _("请选择文件")},
    )


class ItemForm(forms.Form):
    """The reviewer's view of an item: amounts in 万元 here, in 元 in the item's data."""

    name = forms.CharField(label=_("项目名称"), max_length=200)
    enterprise = forms.CharField(label=_("投资企业"), max_length=128, required=False)
    amount_wan = WanField(label=_("投资额"), required=False)
    qualifier = forms.ChoiceField(
        label=_("金额口径"), choices=AmountQualifier.choices, required=False
    )
    kind = forms.ChoiceField(label=_("金额类型"), choices=KIND_CHOICES, required=False)
    place = forms.CharField(label=_("地点(原文)"), max_length=100, required=False)
    adcode = forms.CharField(
        label=_("行政区划代码"),
        max_length=12,
        required=False,
        help_text=_("6位代码,如 620702;留空则按地点或园区推断"),
    )
    park = forms.CharField(label=_("园区(原文)"), max_length=128, required=False)
    sector = forms.CharField(label=_("产业领域"), max_length=64, required=False)
    stage = forms.ChoiceField(label=_("阶段"), choices=ENTRY_STAGES)
    stage_date = forms.DateField(
        label=_("阶段日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则取文章发布日期"),
    )
    reason = forms.CharField(label=_("修改说明"), max_length=500, required=False)

    field_aliases = {"amount": "amount_wan", "park_id": "park", "enterprise_id": "enterprise"}

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        amount = data.get("amount")
        wan = in_unit(Decimal(amount), "万元") if amount else None
        return {
            **{k: data.get(k) or "" for k in ("name", "enterprise", "place", "adcode", "park")},
            "sector": data.get("sector") or "",
            "amount_wan": plain(wan) if wan is not None else None,
            "qualifier": data.get("qualifier") or "exact",
            "kind": data.get("kind") or "",
            "stage": data.get("stage") or "lead",
            "stage_date": data.get("stage_date") or None,
        }

    def item_data(self) -> dict[str, Any]:
        """The cleaned fields as the item's data (amounts in 元)."""
        data = dict(self.cleaned_data)
        wan = data.pop("amount_wan")
        data.pop("reason", None)
        data["amount"] = format(to_yuan(wan, "万元"), "f") if wan is not None else ""
        data["stage_date"] = data["stage_date"].isoformat() if data.get("stage_date") else ""
        data["qualifier"] = data.get("qualifier") or "exact"
        return data


class MergeForm(forms.Form):
    into_item = forms.IntegerField(label=_("合并到条目编号"), required=False, min_value=1)
    into_project = forms.IntegerField(label=_("合并到项目编号"), required=False, min_value=1)
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("驳回理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如:非投资项目、模板占位、其他地区的侧栏新闻"),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *ItemStatus.choices],
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=64)
    document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    suggestion = forms.ChoiceField(
        label=_("疑似重复"),
        required=False,
        choices=[("", _("不限")), ("match", _("已有项目(更新建议)")), ("new", _("新线索"))],
    )
