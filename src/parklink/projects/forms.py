"""Forms of the project pages: list filters, create/edit (amounts in 万元), small htmx forms."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization, User
from parklink.core.forms import WanField
from parklink.core.money import in_unit, to_yuan
from parklink.core.pickers import Picker
from parklink.enterprises.models import Enterprise
from parklink.parks.coordinates import clean_coordinates, coordinate_field
from parklink.parks.models import Park
from parklink.projects.ageing import Colour
from parklink.projects.models import (
    AmountQualifier,
    ApprovalKind,
    ApprovalStatus,
    Maturity,
    Project,
    ProjectStage,
    ProjectTag,
)
from parklink.projects.queries import SORTABLE, ProjectFilters, cache_seconds, data_version
from parklink.projects.services import (
    AMOUNT_FIELDS,
    EDITABLE_FIELDS,
    QUALIFIER_FIELDS,
    TEXT_FIELDS,
    check_amounts,
)
from parklink.regions.models import Region
from parklink.regions.services import resolve_region

COLOUR_CHOICES = [
    ("", _("全部")),
    (Colour.GREEN.value, _("绿")),
    (Colour.YELLOW.value, _("黄")),
    (Colour.RED.value, _("红")),
    (Colour.REMOVAL.value, _("建议出库")),
    (Colour.STALLED.value, _("停滞")),
]
DEFAULT_SORT = "-signed_on"
BLANK = _("— 未选择 —")


class DateInput(forms.DateInput):
    """A browser date picker; its value must be ISO (yyyy-mm-dd) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


REGION_HELP = _("填写行政区名称或6位行政区划代码,如“德格县”或“513330”")


def _plain(number: Decimal) -> Decimal:
    """Without trailing zeros, and without an exponent: 120000, not 1.2E+5."""
    normal = number.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _region_text(region: Region | None) -> str:
    return region.full_name if region is not None else ""


def _resolve(text: str) -> Region | None:
    """The region named by `text`; raises a field error when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    region = resolve_region(text)
    if region is None:
        raise forms.ValidationError(
            _("无法识别行政区“%(text)s”,请填写完整名称或6位行政区划代码"),
            code="unknown_region",
            params={"text": text},
        )
    return region


# ---------------------------------------------------------------- list filters


def filter_choices() -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """The parks (id, name) and tags (code, label in the active language) the filter bar
    offers, kept in the cache until a park or tag changes (the library's version moves on)."""
    key = f"projects:filter-choices:{data_version()}:{get_language()}"
    found = cache.get(key)
    if isinstance(found, tuple):
        return found
    parks = list(Park.objects.order_by("name").values_list("id", "name"))
    tags = [(tag.code, tag.label) for tag in ProjectTag.objects.order_by("code")]
    cache.set(key, (parks, tags), cache_seconds())
    return parks, tags


class ProjectFilterForm(forms.Form):
    """The filter bar of the project list; every field is optional."""

    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("项目名称、代号、产业、企业")}
        ),
    )
    stage = forms.MultipleChoiceField(
        label=_("阶段"),
        required=False,
        choices=ProjectStage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    # Plain choices read through the cache (`filter_choices`): the bar is on every list page.
    park = forms.TypedChoiceField(label=_("园区"), required=False, coerce=int, empty_value=None)
    region = forms.CharField(
        label=_("行政区"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("如 德格县 / 513330")}),
    )
    sector = forms.ChoiceField(label=_("产业领域"), required=False, choices=[])
    maturity = forms.ChoiceField(
        label=_("成熟度"), required=False, choices=[("", _("全部")), *Maturity.choices]
    )
    colour = forms.ChoiceField(label=_("预警"), required=False, choices=COLOUR_CHOICES)
    tag = forms.ChoiceField(label=_("标签"), required=False)
    leader = forms.CharField(label=_("责任领导"), required=False, max_length=64)
    signed_from = forms.DateField(
        label=_("签约日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_to = forms.DateField(
        label=_("签约日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            (f"{sign}{key}", f"{sign}{key}") for key in sorted(SORTABLE) for sign in ("", "-")
        ],
    )

    def __init__(self, data: Any = None, *, sectors: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        parks, tags = filter_choices()
        park_field = self.fields["park"]
        assert isinstance(park_field, forms.ChoiceField)
        park_field.choices = [("", _("全部园区")), *parks]
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ChoiceField)
        tag_field.choices = [("", _("全部标签")), *tags]
        sector_field = self.fields["sector"]
        assert isinstance(sector_field, forms.ChoiceField)
        sector_field.choices = [("", _("全部领域")), *((s, s) for s in sectors if s)]

    def clean_region(self) -> str:
        region = _resolve(self.cleaned_data.get("region") or "")
        return region.adcode if region is not None else ""

    def filters(self) -> ProjectFilters:
        """The valid part of the submitted filters (invalid fields are left out and reported)."""
        if not self.is_bound:
            return ProjectFilters(sort=DEFAULT_SORT)
        self.is_valid()
        data = self.cleaned_data
        return ProjectFilters(
            stage=list(data.get("stage") or []),
            park=data.get("park"),
            region=data.get("region") or None,
            sector=data.get("sector") or None,
            maturity=data.get("maturity") or None,
            colour=data.get("colour") or None,
            tag=data.get("tag") or None,
            leader=(data.get("leader") or "").strip() or None,
            q=(data.get("q") or "").strip() or None,
            signed_from=data.get("signed_from"),
            signed_to=data.get("signed_to"),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    @property
    def active_count(self) -> int:
        """How many filters are set (for the 'clear filters' link)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.fields if name != "sort" and self.data.get(name))


# ---------------------------------------------------------------- create / edit


class ProjectForm(forms.ModelForm):
    """A project's editable fields; amounts are typed in 万元 and stored in 元."""

    region_text = forms.CharField(
        label=_("落地行政区"), required=False, max_length=64, help_text=REGION_HELP
    )
    total_investment_wan = WanField(label=_("总投资"), required=False)
    phase_investment_wan = WanField(label=_("一期投资"), required=False)
    expected_annual_revenue_wan = WanField(label=_("达产年销售收入/产值"), required=False)
    expected_annual_tax_wan = WanField(label=_("达产年税收"), required=False)
    longitude = coordinate_field("longitude")
    latitude = coordinate_field("latitude")
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"),
        required=False,
        to_field_name="code",
        queryset=ProjectTag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        # Every editable field except the region (typed as text) and amounts (typed in 万元).
        fields = [n for n in EDITABLE_FIELDS if n != "region" and n not in AMOUNT_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mechanism": forms.Textarea(attrs={"rows": 2}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "contract_start_date": DateInput,
            "contract_production_date": DateInput,
            "investor": Picker("enterprise"),  # found by typing: a province has a million
        }
        # The unit sits beside the input, so the labels leave it out.
        labels = {
            "jobs": _("带动就业"),
            "land_area_mu": _("用地面积"),
            "floor_area_m2": _("建筑面积"),
        }

    unit_fields = tuple(f"{name}_wan" for name in AMOUNT_FIELDS)
    # Where a service's field names land on this form.
    field_map = {
        "region": "region_text",
        "region_id": "region_text",
        "park_id": "park",
        **{name: f"{name}_wan" for name in AMOUNT_FIELDS},
    }

    def __init__(self, *args: Any, owner: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_querysets(owner or (self.instance.owner if self.instance.pk else None))
        self._name_blank_choices()
        if self.instance.pk:
            self.initial.setdefault("region_text", _region_text(self.instance.region))
            for name in AMOUNT_FIELDS:
                value = in_unit(getattr(self.instance, name), "万元")
                self.initial.setdefault(f"{name}_wan", _plain(value) if value is not None else None)
            self.initial.setdefault("tags", [t.code for t in self.instance.tags.all()])
        for name in QUALIFIER_FIELDS.values():  # exact unless the figure is a bound or estimate
            qualifier = cast(forms.ChoiceField, self.fields[name])
            qualifier.choices = AmountQualifier.choices
            qualifier.required = False
        for name in self.unit_fields:
            self.fields[name].widget.attrs.update(
                {"step": "any", "min": "0", "inputmode": "decimal"}
            )

    def _name_blank_choices(self) -> None:
        """Say "not chosen" instead of Django's dashes in every optional select."""
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                field.empty_label = BLANK
            elif isinstance(field, forms.ChoiceField):
                choices = cast(list[tuple[Any, Any]], field.choices)
                field.choices = [
                    ("", BLANK) if value == "" else (value, label) for value, label in choices
                ]

    def _set_querysets(self, owner: Organization | None) -> None:
        querysets: dict[str, QuerySet[Any]] = {
            "park": Park.objects.order_by("name"),
            "investor": Enterprise.objects.order_by("name").only("id", "name"),
            "tags": ProjectTag.objects.order_by("code"),
            "leader_user": (
                User.objects.filter(organization=owner, is_active=True).order_by("username")
                if owner is not None
                else User.objects.none()
            ),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def clean_region_text(self) -> Region | None:
        text = (self.cleaned_data.get("region_text") or "").strip()
        if self.instance.pk and text == _region_text(self.instance.region):
            return self.instance.region
        return _resolve(text)

    def yuan(self) -> dict[str, Decimal | None]:
        """The amounts in 元, from the 万元 the user typed."""
        return {
            name: (
                to_yuan(value, "万元")
                if (value := self.cleaned_data.get(f"{name}_wan")) is not None
                else None
            )
            for name in AMOUNT_FIELDS
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in check_amounts(self.yuan()).items():
            self.add_error(f"{name}_wan", message)
        clean_coordinates(self)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """Keyword arguments for projects.services.create_project / update_project."""
        data = self.cleaned_data
        fields: dict[str, Any] = {name: data.get(name) for name in self.Meta.fields}
        for name in TEXT_FIELDS:
            if name in fields:
                fields[name] = fields[name] or ""
        fields["region"] = data.get("region_text")
        fields.update(self.yuan())
        fields["tags"] = [tag.code for tag in data.get("tags") or []]
        return fields


class ProjectCreateForm(ProjectForm):
    """A new project also says where it enters the pipeline and since when."""

    stage = forms.ChoiceField(
        label=_("入库阶段"),
        initial=ProjectStage.LEAD,
        choices=[
            (value, label)
            for value, label in ProjectStage.choices
            if value not in (ProjectStage.STALLED, ProjectStage.TERMINATED)
        ],
    )
    stage_date = forms.DateField(label=_("阶段日期"), widget=DateInput)
    note = forms.CharField(label=_("入库说明"), required=False, max_length=500)

    def __init__(self, *args: Any, choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage_date"].initial = timezone.localdate()
        if choose_owner:
            # An installation administrator enters a project on behalf of an organisation;
            # the service checks that the leader's account belongs to it.
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("所属机构"), queryset=Organization.objects.order_by("name")
            )
            leader = self.fields["leader_user"]
            assert isinstance(leader, forms.ModelChoiceField)
            leader.queryset = User.objects.filter(
                organization__isnull=False, is_active=True
            ).order_by("organization__name", "username")

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        if "owner" in self.cleaned_data:
            fields["owner_id"] = self.cleaned_data["owner"].pk
        fields.update(
            stage=self.cleaned_data["stage"],
            stage_date=self.cleaned_data["stage_date"],
            note=self.cleaned_data.get("note") or "",
        )
        return fields


# ---------------------------------------------------------------- small htmx forms


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("变更为"), choices=ProjectStage.choices, widget=forms.HiddenInput
    )
    date = forms.DateField(label=_("生效日期"), widget=DateInput)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("节点名称"), max_length=128)
    due_on = forms.DateField(label=_("计划完成日期"), widget=DateInput)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ApprovalForm(forms.Form):
    kind = forms.ChoiceField(label=_("审批事项"), choices=ApprovalKind.choices)
    status = forms.ChoiceField(label=_("状态"), choices=ApprovalStatus.choices)
    due_on = forms.DateField(label=_("计划完成"), required=False, widget=DateInput)
    submitted_on = forms.DateField(label=_("报审日期"), required=False, widget=DateInput)
    decided_on = forms.DateField(label=_("批复日期"), required=False, widget=DateInput)
    reference = forms.CharField(label=_("批复文号"), required=False, max_length=128)


class FundsForm(forms.Form):
    received_on = forms.DateField(label=_("到位日期"), widget=DateInput)
    amount_wan = WanField(
        label=_("到位金额(万元)"),
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    evidence = forms.CharField(label=_("凭证"), required=False, max_length=255)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)
    # Shown once the service has asked for it: the funds would exceed the total investment.
    confirm = forms.BooleanField(label=_("确认到位资金超过总投资"), required=False)

    field_map = {"amount": "amount_wan"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.needs_confirm = False

    def amount(self) -> Decimal:
        return to_yuan(self.cleaned_data["amount_wan"], "万元")
