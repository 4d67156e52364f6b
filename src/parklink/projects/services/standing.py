"""A project's whole standing: its ageing colour (三类三色) and the contract-date warnings
(签约未开工, 开工未投产, 资金到位滞后), each with its reason in the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parklink.core.money import format_amount
from parklink.projects.ageing import Colour, Thresholds
from parklink.projects.ageing import standing as ageing_standing
from parklink.projects.lifecycle import AGEING, Stage
from parklink.projects.models import FundsInPlace, Project
from parklink.projects.queries import default_thresholds, policy_figures, today
from parklink.projects.warnings import ContractFacts, ContractRules, Rule, Warning, evaluate


@dataclass(frozen=True)
class Standing:
    colour: Colour | None
    idle_days: int
    warnings: tuple[Warning, ...] = ()
    reasons: tuple[str, ...] = field(default=())  # the colour's, then each warning's

    @property
    def colour_value(self) -> str | None:
        return self.colour.value if self.colour is not None else None

    @property
    def warning_items(self) -> list[tuple[str, str, str]]:
        """(rule, short label, reason) for each contract warning."""
        return [(w.rule.value, rule_label(w.rule), warning_reason(w)) for w in self.warnings]

    @property
    def colour_reason(self) -> str:
        return colour_reason(self.colour, self.idle_days)


def rule_label(rule: Rule) -> str:
    return {
        Rule.UNSTARTED: _("签约未开工"),
        Rule.START_OVERDUE: _("逾期未开工"),
        Rule.NOT_PRODUCING: _("开工未投产"),
        Rule.FUNDS_BEHIND: _("资金到位滞后"),
    }[rule]


def _days(n: int) -> str:
    return ngettext("%(n)s天", "%(n)s天", n) % {"n": n}


def warning_reason(warning: Warning) -> str:
    since = f"{warning.since:%Y-%m-%d}"
    if warning.rule is Rule.UNSTARTED:
        return _("签约已满%(months)s个月(%(since)s起)仍未开工") % {
            "months": warning.months,
            "since": since,
        }
    if warning.rule is Rule.START_OVERDUE:
        return _("合同约定%(date)s开工,已逾期%(days)s") % {
            "date": since,
            "days": _days(warning.days),
        }
    if warning.rule is Rule.NOT_PRODUCING:
        return _("合同约定%(date)s投产,已逾期%(days)s") % {
            "date": since,
            "days": _days(warning.days),
        }
    return _("累计到位资金%(actual)s,仅为按合同进度应到位%(expected)s的%(share)s%%") % {
        "actual": format_amount(warning.actual or Decimal(0)),
        "expected": format_amount(warning.expected or Decimal(0)),
        "share": warning.share,
    }


def colour_reason(colour: Colour | None, idle_days: int) -> str:
    if colour is None:
        return ""
    if colour is Colour.STALLED:
        return _("已停滞,%(days)s未见进展") % {"days": _days(idle_days)}
    if colour is Colour.GREEN:
        return _("最近进展在%(days)s前") % {"days": _days(idle_days)}
    return _("%(days)s未见进展") % {"days": _days(idle_days)}


def contract_rules() -> dict[int | None, ContractRules]:
    """Organisation id → its contract rules (None → the default for the rest)."""
    found: dict[int | None, ContractRules] = {None: ContractRules()}
    for org, (*_colours, months, production, percent) in policy_figures().items():
        found[org] = ContractRules(months, production, percent)
    return found


def standings_of(
    projects: Iterable[Project],
    on: date | None = None,
    funds: dict[int, Decimal] | None = None,
) -> dict[int, Standing]:
    """Each project's standing, in one query for the whole list (the funds in place, unless
    the caller has them: project id → total); the policies come through the cache."""
    projects = list(projects)
    when = on or today()
    usual_thresholds, default_rules = default_thresholds(), ContractRules()
    thresholds: dict[int, Thresholds] = {}
    rules: dict[int, ContractRules] = {}
    for org, (yellow, red, removal, months, production, percent) in policy_figures().items():
        thresholds[org] = Thresholds(yellow, red, removal)
        rules[org] = ContractRules(months, production, percent)
    if funds is None:
        funds = dict(
            FundsInPlace.objects.filter(project_id__in=[p.pk for p in projects])
            .values("project_id")
            .annotate(total=Sum("amount"))
            .values_list("project_id", "total")
        )
    found: dict[int, Standing] = {}
    for project in projects:
        colour = (
            ageing_standing(
                project.stage == Stage.STALLED,
                project.last_progress_on,
                when,
                thresholds.get(project.owner_id, usual_thresholds),
            )
            if Stage(project.stage) in AGEING
            else None
        )
        facts = ContractFacts(
            stage=project.stage,
            stalled_from=project.stalled_from,
            signed_on=project.signed_on,
            contract_start_date=project.contract_start_date,
            contract_production_date=project.contract_production_date,
            planned_total=project.total_investment,
            funds=funds.get(project.pk) or Decimal(0),
        )
        warnings = tuple(evaluate(facts, rules.get(project.owner_id, default_rules), when))
        idle = (when - project.last_progress_on).days
        reasons = [colour_reason(colour, idle)] if colour is not None else []
        reasons += [warning_reason(w) for w in warnings]
        found[project.pk] = Standing(colour, idle, warnings, tuple(reasons))
    return found


def standing_of(
    project: Project, on: date | None = None, funds_total: Decimal | None = None
) -> Standing:
    funds = None if funds_total is None else {project.pk: funds_total}
    return standings_of([project], on, funds)[project.pk]
