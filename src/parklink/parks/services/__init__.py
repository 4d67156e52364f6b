"""Park rules: a sound 一区多园 hierarchy, the lists a park page shows, linkages, owner writes.

`park` holds the park's own record, `details` its industries, resources and indicators,
`linkages` the 三园联动 and `rows` what checking a list of items shares; the names are
importable from here too.
"""

from parklink.parks.services.details import (
    COUNT_INDICATORS,
    FIRST_YEAR,
    INDICATOR_UNITS,
    RANK_INDICATORS,
    SHARE_INDICATORS,
    indicator_rows,
    industry_rows,
    last_indicator_year,
    resource_rows,
    set_indicators,
    set_industries,
    set_resources,
    update_park_details,
)
from parklink.parks.services.linkages import (
    LINKAGE_FIELDS,
    create_linkage,
    member_rows,
    set_linkage_members,
    update_linkage,
)
from parklink.parks.services.park import (
    EDITABLE_FIELDS,
    NUMBER_FIELDS,
    ancestors,
    create_park,
    established_problem,
    update_park,
)
from parklink.parks.services.rows import MAX_POSITION

__all__ = [
    "COUNT_INDICATORS",
    "EDITABLE_FIELDS",
    "FIRST_YEAR",
    "INDICATOR_UNITS",
    "LINKAGE_FIELDS",
    "MAX_POSITION",
    "NUMBER_FIELDS",
    "RANK_INDICATORS",
    "SHARE_INDICATORS",
    "ancestors",
    "create_linkage",
    "create_park",
    "established_problem",
    "indicator_rows",
    "industry_rows",
    "last_indicator_year",
    "member_rows",
    "resource_rows",
    "set_indicators",
    "set_industries",
    "set_linkage_members",
    "set_resources",
    "update_linkage",
    "update_park",
    "update_park_details",
]
