"""Park forms (parsing only): the park and its list filters, its editable lists, linkages.

`park` holds the park's own form, `rows` the industries, resources and indicators of its edit
page, `linkages` the 三园联动 form; the names are importable from here too.
"""

from parklink.parks.forms.linkages import (
    LinkageForm,
    MemberFormSet,
    MemberRowForm,
    member_list,
    park_choices,
)
from parklink.parks.forms.park import PARK_SORTS, ParkFilterForm, ParkForm
from parklink.parks.forms.rows import (
    MONEY_INPUT_UNIT,
    IndicatorFormSet,
    IndicatorRowForm,
    IndustryFormSet,
    IndustryRowForm,
    ResourceFormSet,
    ResourceRowForm,
    indicator_input_units,
    park_row_lists,
)

__all__ = [
    "MONEY_INPUT_UNIT",
    "PARK_SORTS",
    "IndicatorFormSet",
    "IndicatorRowForm",
    "IndustryFormSet",
    "IndustryRowForm",
    "LinkageForm",
    "MemberFormSet",
    "MemberRowForm",
    "ParkFilterForm",
    "ParkForm",
    "ResourceFormSet",
    "ResourceRowForm",
    "indicator_input_units",
    "member_list",
    "park_choices",
    "park_row_lists",
]
