"""Saving an agreement version's sharing rules, validated by the ledger engine.

A rule is checked on its own (its scope and its kind's parameters: shares that add up to
100%, steps in order, ...) and with the version's other rules (no two of one indicator equally
narrow over a common enterprise). The reasons are the engine's, in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild.ledger import types as ledger
from parklink.cobuild.ledger.split import validate_rule_set
from parklink.cobuild.models import AgreementVersion, Indicator, Rule, ScopeKind
from parklink.cobuild.services.agreements import KEY
from parklink.cobuild.services.versions import ensure_rules_editable
from parklink.core.errors import Invalid
from parklink.enterprises.models import Enterprise

RULE_FIELDS = ("key", "indicator", "scope_kind", "scope_party", "enterprises", "kind", "params")


def engine_parties(version: AgreementVersion) -> list[ledger.Party]:
    return [ledger.Party(p.key, p.order) for p in version.agreement.parties.all()]


def rule_spec(rule: Rule, enterprise_ids: Sequence[int] | None = None) -> ledger.RuleSpec:
    """The engine's view of a rule (enterprise keys are their ids as text)."""
    ids = enterprise_ids if enterprise_ids is not None else [e.pk for e in rule.enterprises.all()]
    return ledger.RuleSpec(
        key=rule.key,
        indicator=rule.indicator,
        scope=ledger.Scope(
            kind=rule.scope_kind,
            party=rule.scope_party.key if rule.scope_party else None,
            enterprises=frozenset(str(pk) for pk in ids),
        ),
        kind=rule.kind,
        params=rule.params,
    )


def problem_text(problem: ledger.Problem) -> str:
    return problem.en if (get_language() or "").startswith("en") else problem.zh


def _raise_problems(problems: Sequence[ledger.Problem], prefix: str = "") -> None:
    if problems:
        detail: dict[str, str] = {}
        for problem in problems:
            field = problem.field.removeprefix(prefix) if prefix else problem.field
            detail.setdefault(field, problem_text(problem))
        raise Invalid(next(iter(detail.values())), detail=detail)


def _check_own_fields(version: AgreementVersion, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not KEY.match(values["key"] or ""):
        errors["key"] = _("规则代号以小写字母开头,只含小写字母、数字、- 和 _,最长32个字符。")
    if values["indicator"] not in Indicator.values:
        errors["indicator"] = _("未知的指标:%(value)s") % {"value": values["indicator"]}
    if values["scope_kind"] not in ScopeKind.values:
        errors["scope_kind"] = _("未知的适用范围:%(value)s") % {"value": values["scope_kind"]}
    party = values["scope_party"]
    if party is not None and party.agreement_id != version.agreement_id:
        errors["scope_party"] = _("引进方须是本协议的一方。")
    if not isinstance(values["params"], dict):
        errors["params"] = _("参数须是一个 JSON 对象。")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)


@transaction.atomic
def save_rule(
    user: User, version: AgreementVersion, rule: Rule | None = None, **fields: Any
) -> Rule:
    """Create a rule of `version` (rule None) or change one; refuses what the engine refuses."""
    ensure_rules_editable(user, version)
    current: dict[str, Any] = (
        {
            "key": rule.key,
            "indicator": rule.indicator,
            "scope_kind": rule.scope_kind,
            "scope_party": rule.scope_party,
            "enterprises": list(rule.enterprises.all()),
            "kind": rule.kind,
            "params": rule.params,
            "order": rule.order,
            "note": rule.note,
            "illustrative": rule.illustrative,
        }
        if rule is not None
        else {"scope_kind": ScopeKind.ALL, "scope_party": None, "enterprises": [], "params": {}}
        | {"order": version.rules.count(), "note": "", "illustrative": False}
    )
    values = current | fields
    missing = [name for name in ("key", "indicator", "kind") if not values.get(name)]
    if missing:
        raise Invalid(_("请填写规则的代号、指标和类型。"), detail={m: _("必填") for m in missing})
    _check_own_fields(version, values)
    enterprises: list[Enterprise] = list(values["enterprises"])
    candidate = Rule(
        pk=rule.pk if rule else None,
        version=version,
        **{k: v for k, v in values.items() if k != "enterprises"},
    )
    spec = rule_spec(candidate, [e.pk for e in enterprises])
    siblings = version.rules.prefetch_related("enterprises")
    if rule is not None:
        siblings = siblings.exclude(pk=rule.pk)
    others = [rule_spec(other) for other in siblings]
    if any(other.key == spec.key for other in others):
        raise Invalid.on("key", _("本版本已有代号为“%(key)s”的规则。") % {"key": spec.key})
    problems = validate_rule_set([*others, spec], engine_parties(version))
    own_prefix = f"rules[{spec.key}]."
    own = [p for p in problems if p.field.startswith(own_prefix)]
    _raise_problems(own or problems, own_prefix if own else "")
    candidate.save()
    candidate.enterprises.set(enterprises)
    return candidate


@transaction.atomic
def delete_rule(user: User, rule: Rule) -> None:
    ensure_rules_editable(user, rule.version)
    rule.delete()
