"""The linkage form (三园联动): name, description and the member parks as rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.core.forms import RowForm, RowList, row_formset, row_list, set_choices
from parklink.parks.models import LinkageRole, Park, ParkLinkage


def park_choices() -> list[tuple[str, str]]:
    """Every park as a choice, named with its county so namesakes can be told apart."""
    choices = [("", "---------")]
    for pk, name, region in Park.objects.order_by("name_pinyin", "pk").values_list(
        "pk", "name", "region__name"
    ):
        choices.append((str(pk), f"{name} · {region}"))
    return choices


class MemberRowForm(RowForm):
    content_fields = ("park", "role")

    park = forms.ChoiceField(label=_("园区"), required=False)
    role = forms.ChoiceField(
        label=_("分工"), choices=[("", "---------"), *LinkageRole.choices], required=False
    )
    order = forms.IntegerField(
        label=_("排序"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"style": "width:5em"}),
    )

    def __init__(self, *args: Any, parks: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "park", parks or [("", "---------")])

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "park": data.get("park") or None,
            "role": data.get("role") or "",
            "order": data.get("order"),
        }


MemberFormSet = row_formset(MemberRowForm, 30)


def member_list(
    data: Mapping[str, Any] | None, linkage: ParkLinkage | None, first_park: str = ""
) -> RowList:
    """The members of `linkage` as the formset of the linkage form.

    A new linkage starts with `first_park` (the park page it was started from), if any.
    """
    initial: list[dict[str, Any]] = [{"park": first_park}] if first_park else []
    if linkage is not None:
        initial = [
            {"park": str(m.park_id), "role": m.role, "order": m.order}
            for m in linkage.members.order_by("order", "pk")
        ]
    # The park choices are read once and shared by every row.
    return row_list(MemberFormSet, data, "members", initial, form_kwargs={"parks": park_choices()})


class LinkageForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("所属机构"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_owner:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = Organization.objects.order_by("name")
            owner.required = True
        else:
            del self.fields["owner"]

    def service_fields(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data.get("name") or "",
            "description": self.cleaned_data.get("description") or "",
        }

    def chosen_owner(self) -> Organization | None:
        owner = self.cleaned_data.get("owner")
        return owner if isinstance(owner, Organization) else None
