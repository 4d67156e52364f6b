"""Forms of the daily work: progress entries, problems and their status, annual plans, the
problem list's filters and an organisation's warning rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import User
from parklink.core.forms import WanField
from parklink.core.money import in_unit, to_yuan
from parklink.projects.forms import BLANK, DateInput
from parklink.projects.models import (
    AgeingPolicy,
    Problem,
    ProblemCategory,
    ProblemStatus,
    Project,
)
from parklink.projects.problem_lifecycle import allowed_targets
from parklink.projects.queries import today
from parklink.projects.services.problems import ProblemFilters


def colleagues(owner_id: int | None) -> QuerySet[User]:
    """The active users of the project's organisation, as owners and leaders are chosen."""
    if owner_id is None:
        return User.objects.none()
    return User.objects.filter(organization_id=owner_id, is_active=True).order_by(
        "display_name", "username"
    )


class ProgressEntryForm(forms.Form):
    happened_on = forms.DateField(label=_("进展日期"), widget=DateInput)
    summary = forms.CharField(
        label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(
        label=_("下一步工作"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reporter = forms.CharField(
        label=_("填报人"),
        required=False,
        max_length=64,
        help_text=_("留空则为当前账号的姓名"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = today()


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["category", "description", "department", "owner", "deadline", "leader_name"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "deadline": DateInput,
        }
        help_texts = {"leader_name": _("留空则为项目“五个一”的责任领导")}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = colleagues(project.owner_id)
        owner.empty_label = str(BLANK)
        self.fields["deadline"].required = True

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProblemStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("变更为"), choices=ProblemStatus.choices)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("解决或提级时必填:如何解决的、提交给谁"),
    )

    def __init__(self, *args: Any, problem: Problem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if problem is not None:
            labels = dict(ProblemStatus.choices)
            to = self.fields["to"]
            assert isinstance(to, forms.ChoiceField)
            to.choices = [(s.value, labels[s.value]) for s in allowed_targets(problem.status)]


class YearPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned_wan = WanField(label=_("年度计划投资"), required=False)
    completed_wan = WanField(label=_("年度完成投资"), required=False)

    field_map = {"planned": "planned_wan", "completed": "completed_wan", "year": "year"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year
        for name in ("planned_wan", "completed_wan"):
            self.fields[name].widget.attrs.update(
                {"step": "any", "min": "0", "inputmode": "decimal"}
            )

    def amounts(self) -> tuple[Decimal | None, Decimal | None]:
        planned, completed = self.cleaned_data["planned_wan"], self.cleaned_data["completed_wan"]
        return (
            to_yuan(planned, "万元") if planned is not None else None,
            to_yuan(completed, "万元") if completed is not None else None,
        )


def wan(value: Decimal | None) -> Decimal | None:
    """An amount in 元 as the 万元 a form shows."""
    found = in_unit(value, "万元") if value is not None else None
    return found.normalize() if found is not None else None


STATUS_FILTER = [("", _("全部")), ("unsettled", _("未解决")), *ProblemStatus.choices]


class ProblemFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_FILTER, required=False)
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)
    mine = forms.BooleanField(label=_("我负责或协调的"), required=False)
    category = forms.ChoiceField(
        label=_("问题类别"), choices=[("", _("全部")), *ProblemCategory.choices], required=False
    )
    owner = forms.ModelChoiceField(
        label=_("责任人"), queryset=User.objects.none(), required=False, empty_label=_("全部")
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = (
            User.objects.all() if user.is_superuser else colleagues(user.organization_id)
        )

    def filters(self) -> ProblemFilters:
        if not self.is_bound or not self.is_valid():
            return ProblemFilters()
        data = self.cleaned_data
        status = data.get("status") or ""
        statuses = (
            [ProblemStatus.OPEN, ProblemStatus.COORDINATING, ProblemStatus.ESCALATED]
            if status == "unsettled"
            else [status]
            if status
            else None
        )
        return ProblemFilters(
            status=[str(s) for s in statuses] if statuses else None,
            overdue=bool(data.get("overdue")),
            category=data.get("category") or None,
            owner=data["owner"].pk if data.get("owner") else None,
            mine=bool(data.get("mine")),
            q=data.get("q") or None,
        )


class WarningRulesForm(forms.ModelForm):
    class Meta:
        model = AgeingPolicy
        fields = [
            "yellow_months",
            "red_months",
            "removal_months",
            "unstarted_months",
            "production_rule",
            "funds_percent",
        ]
