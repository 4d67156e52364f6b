"""The rules of the project library; the only code that changes a project's state.

`checks` holds what a project's fields may hold, `date_checks` which dates its records may
carry, `project` the record itself, `stages` its stage changes, `progress` milestones,
approvals and funds, `colours` the ageing colours, `standing` the colour with the contract-date
warnings and their reasons, `progress_log` the progress entries and the timeline, `problems`
the problem list and `year_plans` the annual investment plans; the names are importable from
here too.
"""

from parklink.projects.services.checks import (
    AMOUNT_FIELDS,
    AMOUNT_LIMIT,
    EDITABLE_FIELDS,
    QUALIFIER_FIELDS,
    TEXT_FIELDS,
    amount_problem,
    check_amounts,
    field_problems,
)
from parklink.projects.services.colours import (
    AgeingSummary,
    ageing_summary,
    attention_list,
    colour_of,
    colours_of,
    overdue_q,
)
from parklink.projects.services.date_checks import date_problem, entered_on
from parklink.projects.services.problems import (
    change_status,
    delete_problem,
    raise_problem,
    update_problem,
)
from parklink.projects.services.progress import (
    add_funds,
    add_milestone,
    complete_milestone,
    set_approval,
)
from parklink.projects.services.progress_log import (
    add_entry,
    delete_entry,
    recompute_last_progress,
    timeline,
    update_entry,
)
from parklink.projects.services.project import create_project, set_tags, update_project
from parklink.projects.services.stages import (
    NOTE_REQUIRED,
    allowed_next,
    refusal_message,
    transition,
)
from parklink.projects.services.standing import Standing, standing_of, standings_of
from parklink.projects.services.year_plans import YearPlan, set_year_plan, year_plan

__all__ = [
    "AMOUNT_FIELDS",
    "AMOUNT_LIMIT",
    "EDITABLE_FIELDS",
    "NOTE_REQUIRED",
    "QUALIFIER_FIELDS",
    "TEXT_FIELDS",
    "AgeingSummary",
    "Standing",
    "YearPlan",
    "add_entry",
    "add_funds",
    "add_milestone",
    "ageing_summary",
    "allowed_next",
    "amount_problem",
    "attention_list",
    "change_status",
    "check_amounts",
    "colour_of",
    "colours_of",
    "complete_milestone",
    "create_project",
    "date_problem",
    "delete_entry",
    "delete_problem",
    "entered_on",
    "field_problems",
    "overdue_q",
    "raise_problem",
    "recompute_last_progress",
    "refusal_message",
    "set_approval",
    "set_tags",
    "set_year_plan",
    "standing_of",
    "standings_of",
    "timeline",
    "transition",
    "update_entry",
    "update_problem",
    "update_project",
    "year_plan",
]
