"""Pickers render the chosen rows only, whatever the size of the table, and the fields behind
them validate exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from parklink.accounts.models import Organization
from parklink.core.pickers import MultiPicker, Picker
from parklink.enterprises.models import Enterprise
from tests.support import factories

pytestmark = pytest.mark.django_db


class OneForm(forms.Form):
    firm = forms.ModelChoiceField(
        queryset=Enterprise.objects.order_by("name"), widget=Picker("enterprise")
    )


class ManyForm(forms.Form):
    firms = forms.ModelMultipleChoiceField(
        queryset=Enterprise.objects.order_by("name"),
        required=False,
        widget=MultiPicker("enterprise"),
    )


@pytest.fixture
def firms(orgs: dict[str, Organization]) -> list[Enterprise]:
    return [factories.enterprise(orgs["jinniu"], f"示例{n:02d}有限公司") for n in range(40)]


def test_only_the_chosen_row_is_rendered(
    firms: list[Enterprise], django_assert_max_num_queries: Any
) -> None:
    form = OneForm(initial={"firm": firms[7].pk})
    with django_assert_max_num_queries(1):
        html = str(form["firm"])
    assert html.count("<option") == 1 and f'value="{firms[7].pk}" selected' in html
    assert "示例07有限公司" in html and "示例08有限公司" not in html
    # The label points at the search box; the submitted value sits in the hidden select.
    assert 'id="id_firm"' in html and 'type="search"' in html
    assert 'id="id_firm_chosen"' in html and 'name="firm"' in html
    assert 'hx-get="/search/pick/enterprise/"' in html and "required" not in html.split("<input")[0]
    # Its own swap and values: a picker inside an htmx block inherits nothing from it.
    assert 'hx-swap="innerHTML"' in html and 'hx-params="q"' in html


def test_an_empty_picker_renders_no_option_and_asks_no_query(
    firms: list[Enterprise], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        html = str(OneForm()["firm"])
    assert "<option" not in html and 'aria-required="true"' in html


def test_many_chosen_rows_are_chips_in_the_order_given(firms: list[Enterprise]) -> None:
    chosen = [firms[3].pk, firms[1].pk]
    html = str(ManyForm(initial={"firms": chosen})["firms"])
    assert html.count("<option") == 2 and " multiple" in html
    assert html.index("示例03有限公司") < html.index("示例01有限公司")
    assert html.count("data-unpick") == 2


def test_submitted_values_are_validated_against_the_fields_queryset(
    firms: list[Enterprise],
) -> None:
    ok = ManyForm(data={"firms": [str(firms[0].pk), str(firms[5].pk)]})
    assert ok.is_valid() and list(ok.cleaned_data["firms"]) == [firms[0], firms[5]]
    missing = OneForm(data={"firm": "999999"})
    assert not missing.is_valid() and "firm" in missing.errors
    garbage = OneForm(data={"firm": "abc"})
    assert not garbage.is_valid()
    assert "<option" not in str(garbage["firm"])  # a bad value renders nothing, not an error
