"""Forecast (预测) for negotiators: what each party would get from the pipeline's projects.

The projects are those the user sees (`projects.queries.visible_projects`) whose investor is
an enterprise the agreement covers or that land in one of its parks, not terminated, with an
expected annual tax or revenue. Their dates: the agreement's facts for the enterprise (投产,
达产), else the project's stage history (the day it entered 投产 / 达产), else its milestones
(the first whose name says 投产 / 达产: done on, else due on). A project without a start of
production is listed and left out.

The current rules are the latest version's; the alternatives are rule sets written as the
rules of an agreement document (`services.documents`, "The YAML format"), each validated by
the engine as a version's rules are. The forecast starts from the state after the last
confirmed run. Everything here is illustrative: 预测 / forecast, never a settlement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild.ledger import forecast as engine
from parklink.cobuild.ledger import types as ledger
from parklink.cobuild.ledger.solve import FAMILIES, MEASURES, Answer, Question, solve
from parklink.cobuild.ledger.split import validate_rule_set
from parklink.cobuild.ledger.twoviews import ASSESSMENT_LABEL
from parklink.cobuild.models import Agreement, CoveredEnterprise, Party, RunStatus
from parklink.cobuild.services import documents
from parklink.cobuild.services.rules import problem_text, rule_spec
from parklink.core.errors import Invalid
from parklink.core.xlsx import csv_bytes
from parklink.projects.models import Milestone, Project, ProjectStage, StageTransition
from parklink.projects.queries import today, visible_projects

DEFAULT_YEARS = 10
ALTERNATIVES_MAX = 5
NOTICE_ZH = "预测:根据项目库的预期数据和用户设定的假设测算,仅供谈判参考,不是结算结果。"
NOTICE_EN = (
    "Forecast: computed from the pipeline's expectations and the assumptions set by the user; "
    "for negotiation only, not a settlement."
)


@dataclass(frozen=True)
class ProjectLine:
    """A project the forecast read (or left out, with why)."""

    project: Project
    enterprise: str
    annual_tax: int
    annual_output: int
    production_on: date | None
    full_production_on: date | None
    dates_from: str  # "agreement" | "stages" | "milestones" | ""


@dataclass
class Forecast:
    agreement: Agreement
    parties: list[Party]
    assumptions: engine.Assumptions
    projects: list[ProjectLine]
    skipped: list[ProjectLine]
    results: list[engine.ScenarioResult]
    answer: Answer | None = None
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def notice(self) -> dict[str, str]:
        return {"zh": NOTICE_ZH, "en": NOTICE_EN}


# ---------------------------------------------------------------- errors


def _invalid(error: engine.ForecastError, prefix: str = "") -> Invalid:
    problem = error.problem
    text = problem_text(problem)
    return Invalid(text, detail={f"{prefix}{problem.field}": text, "en": problem.en})


def _fen(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 100)


# ---------------------------------------------------------------- projects


def _milestone_date(milestones: Sequence[Milestone], word: str) -> date | None:
    for milestone in milestones:
        if word in milestone.name:
            return milestone.done_on or milestone.due_on
    return None


def project_lines(
    user: User, agreement: Agreement, covered: Mapping[int, CoveredEnterprise]
) -> tuple[list[ProjectLine], list[ProjectLine]]:
    """(the projects the forecast reads, those without a start of production)."""
    parks = agreement.parks.values("pk")
    projects = (
        visible_projects(user)
        .filter(Q(investor_id__in=list(covered)) | Q(park__in=parks))
        .exclude(stage=ProjectStage.TERMINATED)
        .filter(Q(expected_annual_tax__gt=0) | Q(expected_annual_revenue__gt=0))
        .select_related("investor")
        .order_by("pk")
    )
    found = list(projects)
    ids = [p.pk for p in found]
    entered: dict[tuple[int, str], date] = {}
    for project_id, stage, on in (
        StageTransition.objects.filter(project_id__in=ids)
        .order_by("effective_on", "pk")
        .values_list("project_id", "to_stage", "effective_on")
    ):
        entered.setdefault((project_id, stage), on)
    milestones: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(project_id__in=ids).order_by("due_on", "pk"):
        milestones.setdefault(milestone.project_id, []).append(milestone)
    lines: list[ProjectLine] = []
    skipped: list[ProjectLine] = []
    for project in found:
        terms = covered.get(project.investor_id) if project.investor_id else None
        start = full = None
        origin = ""
        if terms is not None and terms.production_on:
            start, full, origin = terms.production_on, terms.full_production_on, "agreement"
        if start is None and (project.pk, ProjectStage.IN_PRODUCTION) in entered:
            start, origin = entered[(project.pk, ProjectStage.IN_PRODUCTION)], "stages"
            full = entered.get((project.pk, ProjectStage.FULL_PRODUCTION))
        if start is None:
            start = _milestone_date(milestones.get(project.pk, []), "投产")
            full = _milestone_date(milestones.get(project.pk, []), "达产")
            origin = "milestones" if start else ""
        if start is None and (project.pk, ProjectStage.FULL_PRODUCTION) in entered:
            start = full = entered[(project.pk, ProjectStage.FULL_PRODUCTION)]
            origin = "stages"
        if full is not None and start is not None and full < start:
            full = start
        key = str(project.investor_id) if project.investor_id else f"project-{project.pk}"
        line = ProjectLine(
            project,
            key,
            _fen(project.expected_annual_tax),
            _fen(project.expected_annual_revenue),
            start,
            full,
            origin,
        )
        (lines if start is not None else skipped).append(line)
    return lines, skipped


def engine_facts(
    lines: Sequence[ProjectLine], covered: Mapping[int, CoveredEnterprise]
) -> dict[str, ledger.EnterpriseFacts]:
    """The agreement's facts of each enterprise; dates it lacks from its earliest project."""
    facts: dict[str, ledger.EnterpriseFacts] = {}
    for line in sorted(lines, key=lambda item: item.production_on or date.max):
        if line.enterprise in facts:
            continue
        terms = covered.get(line.project.investor_id) if line.project.investor_id else None
        if terms is None:
            facts[line.enterprise] = ledger.EnterpriseFacts(
                line.enterprise,
                production_on=line.production_on,
                full_production_on=line.full_production_on,
            )
            continue
        facts[line.enterprise] = ledger.EnterpriseFacts(
            line.enterprise,
            terms.introduced_by.key if terms.introduced_by else None,
            terms.settled_on,
            terms.production_on or line.production_on,
            terms.full_production_on or line.full_production_on,
            terms.moved_on,
        )
    return facts


# ---------------------------------------------------------------- rules


def current_rules(agreement: Agreement) -> list[ledger.RuleSpec]:
    version = agreement.versions.order_by("-number").first()
    if version is None:
        return []
    return [
        rule_spec(rule)
        for rule in version.rules.prefetch_related("enterprises").select_related("scope_party")
    ]


def parse_alternatives(document: Any) -> list[dict[str, Any]]:
    """Alternatives as [{label, rules: [document rules]}] from any of the accepted shapes:
    {alternatives: [...]}, one {label?, rules}, a list of those, or a list of rules."""
    if document in (None, "", [], {}):
        return []
    if isinstance(document, Mapping) and "alternatives" in document:
        document = document["alternatives"]
    if isinstance(document, Mapping):
        document = [document]
    if not isinstance(document, list):
        raise Invalid.on("alternatives", _("备选方案应为一个列表或 {rules: [...]}。"))
    if document and all(isinstance(item, Mapping) and "kind" in item for item in document):
        document = [{"rules": document}]
    if len(document) > ALTERNATIVES_MAX:
        raise Invalid.on(
            "alternatives",
            _("备选方案最多 %(count)d 个。") % {"count": ALTERNATIVES_MAX},
        )
    found = []
    for index, item in enumerate(document):
        if not isinstance(item, Mapping) or not isinstance(item.get("rules"), list):
            raise Invalid.on(
                f"alternatives[{index}]", _("每个备选方案应写作 {label, rules: [...]}。")
            )
        label = str(item.get("label") or _("方案%(number)d") % {"number": index + 1})
        found.append({"label": label[:60], "rules": item["rules"]})
    return found


def alternative_specs(
    agreement: Agreement, parties: Sequence[ledger.Party], alternative: dict[str, Any], index: int
) -> list[ledger.RuleSpec]:
    """One alternative's rules as the engine reads them, refused as a version's rules are."""
    reader = documents.Reader(documents.Refs())
    keys = {party.key for party in parties}
    specs = []
    for n, raw in enumerate(alternative["rules"]):
        where = f"alternatives[{index}].rules[{n}]"
        rule = reader.mapping(raw, where, documents.RULE_FIELDS, ("key", "indicator", "kind"))
        params = rule.get("params") or {}
        if not isinstance(params, Mapping):
            reader.fail(f"{where}.params", _("参数须是一个 JSON 对象。"))
            params = {}
        scope = documents._parse_scope(reader, rule.get("scope"), f"{where}.scope", keys)
        if not scope:
            continue
        specs.append(
            ledger.RuleSpec(
                key=reader.text(rule, "key", where),
                indicator=reader.text(rule, "indicator", where),
                scope=ledger.Scope(
                    scope["scope_kind"],
                    scope["scope_party"],
                    frozenset(str(e.pk) for e in scope["enterprises"]),
                ),
                kind=reader.text(rule, "kind", where),
                params=documents._plain(params),
            )
        )
    if reader.errors:
        raise Invalid(next(iter(reader.errors.values())), detail=reader.errors)
    _refuse_problems(validate_rule_set(specs, parties), f"alternatives[{index}].")
    return specs


def _refuse_problems(problems: Sequence[ledger.Problem], prefix: str) -> None:
    if problems:
        detail: dict[str, str] = {}
        for problem in problems:
            detail.setdefault(f"{prefix}{problem.field}", problem_text(problem))
        raise Invalid(next(iter(detail.values())), detail=detail)


# ---------------------------------------------------------------- assumptions


def assumptions_for(
    agreement: Agreement,
    *,
    ramp: Sequence[object] | None = None,
    tax_mix: Mapping[str, object] | None = None,
    discount_rate: object = "0",
    first_year: int | None = None,
    years: int | None = None,
) -> engine.Assumptions:
    """The forecast's assumptions; by default from next year to the end of the term (or for
    ten years), the illustrative ramp and mix (`forecast.DEFAULT_RAMP`, `DEFAULT_MIX`)."""
    try:
        curve = engine.parse_ramp(list(ramp) if ramp is not None else list(engine.DEFAULT_RAMP))
        mix = engine.parse_mix(tax_mix if tax_mix is not None else engine.DEFAULT_MIX)
        rate = engine.parse_fraction(discount_rate, "discount_rate")
    except engine.ForecastError as error:
        raise _invalid(error) from error
    start = first_year if first_year is not None else today().year + 1
    if not 1900 <= start <= 2200:
        raise Invalid.on("first_year", _("起始年份须在 1900 至 2200 之间。"))
    if years is None:
        end = agreement.term_end.year if agreement.term_end else start + DEFAULT_YEARS - 1
        years = max(1, min(end - start + 1, engine.MAX_YEARS))
    if not 1 <= years <= engine.MAX_YEARS:
        raise Invalid.on("years", _("预测年限须为 1 至 %(max)d 年。") % {"max": engine.MAX_YEARS})
    if rate > 1:
        raise Invalid.on("discount_rate", _("折现率须在 0 至 100% 之间。"))
    return engine.Assumptions(start, years, curve, mix, rate)


def question_from(data: Mapping[str, Any] | None) -> Question | None:
    """A solver question from {family, rule, party, amount (fen), years, enterprise, measure}."""
    if not data or not data.get("family"):
        return None
    if data["family"] not in FAMILIES:
        raise Invalid.on("question.family", _("求解类型须为 ratio、cap 或 window。"))
    if data.get("measure", "total") not in MEASURES:
        raise Invalid.on("question.measure", _("口径须为 total 或 present_value。"))
    amount, years = data.get("amount"), data.get("years")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise Invalid.on("question.amount", _("目标数额须为非负整数(分)。"))
    if not isinstance(years, int) or isinstance(years, bool) or years < 1:
        raise Invalid.on("question.years", _("年数须为正整数。"))
    return Question(
        family=data["family"],
        rule=str(data.get("rule") or ""),
        party=str(data.get("party") or ""),
        amount=amount,
        years=years,
        enterprise=str(data["enterprise"]) if data.get("enterprise") else None,
        measure=data.get("measure", "total"),
    )


# ---------------------------------------------------------------- the forecast


def last_state(agreement: Agreement) -> ledger.LedgerState:
    run = agreement.runs.filter(status=RunStatus.CONFIRMED).order_by("-period_end", "-id").first()
    return ledger.LedgerState.from_json(run.state_after) if run else ledger.LedgerState()


def build(
    user: User,
    agreement: Agreement,
    assumptions: engine.Assumptions,
    alternatives: Any = None,
    question: Mapping[str, Any] | None = None,
    scenario: int = 0,
) -> Forecast:
    """The forecast of the current rules and each alternative; the solver's answer when asked
    (for scenario `scenario`: 0 the current rules, 1 the first alternative, ...)."""
    party_rows = list(agreement.parties.select_related("organization").order_by("order", "id"))
    parties = [ledger.Party(p.key, p.order) for p in party_rows]
    covered = {
        c.enterprise_id: c
        for c in CoveredEnterprise.objects.filter(agreement=agreement).select_related(
            "introduced_by"
        )
    }
    lines, skipped = project_lines(user, agreement, covered)
    sources = [
        engine.Source(
            str(line.project.pk),
            line.enterprise,
            line.annual_tax,
            line.annual_output,
            line.production_on,
            line.full_production_on,
        )
        for line in lines
    ]
    facts = engine_facts(lines, covered)
    parsed = parse_alternatives(alternatives)
    scenarios = [engine.Scenario("current", _("现行规则"), current_rules(agreement))]
    for index, alternative in enumerate(parsed):
        specs = alternative_specs(agreement, parties, alternative, index)
        scenarios.append(engine.Scenario(f"alt-{index + 1}", alternative["label"], specs))
    state = last_state(agreement)
    try:
        results = engine.forecast(scenarios, sources, facts, parties, assumptions, state)
    except engine.ForecastError as error:
        raise _invalid(error) from error
    answer = None
    asked = question_from(question)
    if asked is not None:
        if not 0 <= scenario < len(scenarios):
            raise Invalid.on("question.scenario", _("没有这个方案。"))

        def validate(rules: Sequence[ledger.RuleSpec]) -> None:
            _refuse_problems(validate_rule_set(rules, parties), "question.")

        try:
            answer = solve(
                asked, scenarios[scenario], sources, facts, parties, assumptions, state, validate
            )
        except engine.ForecastError as error:
            raise _invalid(error, "question.") from error
    return Forecast(agreement, party_rows, assumptions, lines, skipped, results, answer, parsed)


# ---------------------------------------------------------------- documents


def _fraction_text(value: Fraction) -> str:
    return str(value)


def pv_fen(value: Fraction) -> int:
    return engine.round_half_up(value)


def as_json(found: Forecast) -> dict[str, Any]:
    """The forecast as a JSON document: fen integers, exact present values as fractions."""
    a = found.assumptions
    document: dict[str, Any] = {
        "agreement": found.agreement.pk,
        "forecast": True,
        "illustrative": True,
        "notice": found.notice,
        # The parties' shares of output value are the assessment view (考核口径).
        "assessment_notice": ASSESSMENT_LABEL,
        "unit": "fen",
        "assumptions": {
            "first_year": a.first_year,
            "years": a.years,
            "ramp": [_fraction_text(v) for v in a.ramp],
            "tax_mix": {k: _fraction_text(v) for k, v in a.tax_mix.items()},
            "discount_rate": _fraction_text(a.discount_rate),
        },
        "parties": [{"key": p.key, "name": p.organization.name} for p in found.parties],
        "projects": [
            {
                "project": line.project.pk,
                "name": line.project.name,
                "enterprise": line.enterprise,
                "annual_tax": line.annual_tax,
                "annual_output": line.annual_output,
                "production_on": line.production_on.isoformat() if line.production_on else None,
                "full_production_on": (
                    line.full_production_on.isoformat() if line.full_production_on else None
                ),
                "dates_from": line.dates_from,
            }
            for line in found.projects
        ],
        "skipped": [
            {"project": line.project.pk, "name": line.project.name} for line in found.skipped
        ],
        "scenarios": [
            {
                "key": result.key,
                "label": result.label,
                "years": [
                    {
                        "year": row.year,
                        "tax": row.recorded,
                        "parties": row.money,
                        "output": row.output,
                        "unmatched": row.unmatched,
                    }
                    for row in result.rows
                ],
                "totals": result.totals,
                "present_values": {k: pv_fen(v) for k, v in result.present_values.items()},
                "present_values_exact": {
                    k: _fraction_text(v) for k, v in result.present_values.items()
                },
                "output_totals": result.output_totals,
                "unmatched": result.unmatched,
                "reasons": [{"zh": p.zh, "en": p.en} for p in result.reasons],
            }
            for result in found.results
        ],
        "answer": answer_json(found.answer),
    }
    return document


def answer_json(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    q = answer.question
    return {
        "question": {
            "family": q.family,
            "rule": q.rule,
            "party": q.party,
            "amount": q.amount,
            "years": q.years,
            "enterprise": q.enterprise,
            "measure": q.measure,
        },
        "reachable": answer.reachable,
        "value": answer.value,
        "share": _fraction_text(answer.share) if answer.share is not None else None,
        "achieved": pv_fen(answer.achieved),
        "bound": answer.bound,
        "evaluations": answer.evaluations,
    }


def csv_rows(found: Forecast) -> list[list[Any]]:
    """One row per scenario, year and party (fen), after a first line saying it is a forecast."""
    rows: list[list[Any]] = [
        [f"{NOTICE_ZH} / {NOTICE_EN}"],
        [f"output_share_fen: {ASSESSMENT_LABEL}"],
        ["scenario", "label", "year", "party", "tax_share_fen", "output_share_fen"],
    ]
    for result in found.results:
        for row in result.rows:
            for party in found.parties:
                money, output = row.money.get(party.key, 0), row.output.get(party.key, 0)
                rows.append([result.key, result.label, row.year, party.key, money, output])
        for party in found.parties:
            key = party.key
            total, output = result.totals[key], result.output_totals[key]
            present = pv_fen(result.present_values[key])
            rows.append([result.key, result.label, "total", key, total, output])
            rows.append([result.key, result.label, "present_value", key, present, ""])
    return rows


def as_csv(found: Forecast) -> bytes:
    return csv_bytes(csv_rows(found))
