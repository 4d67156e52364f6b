"""An agreement as one YAML (or JSON) document an official can review as text, and back.

`dump(agreement)` writes the agreement, its parties, operating companies and equity,
cooperation fields, shared policies, parks, covered enterprises with their facts, every
version with its rules, and the status history; `load(user, data)` creates the same agreement
through the services (the same checks and words as the pages and the API), all or nothing,
each refusal under the path of the field in the document (`versions[1].rules[0].params.shares`).
Nothing in a document is a database id: organisations are named by name, parks by name and
region, enterprises by 统一社会信用代码 or name and region, so a document moves between
installations. The format is described in docs/cobuild.md ("The YAML format").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.cobuild.models import (
    Agreement,
    AgreementVersion,
    CooperationField,
    CoveredEnterprise,
    OperatingCompany,
    Party,
    Rule,
    ScopeKind,
    SharedPolicy,
)
from parklink.cobuild.services import agreements, details, lifecycle, rules, versions
from parklink.cobuild.services.agreements import PartySpec
from parklink.cobuild.services.details import ShareSpec
from parklink.core.errors import Invalid, ParkLinkError
from parklink.core.sources import cite, sources_of
from parklink.core.text import normalise_name
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park

FORMAT = "parklink.cobuild/1"
HEADER = "# ParkLink 共建协议 / co-built park agreement (parklink cobuild load FILE)\n"

TOP_FIELDS = (
    "format",
    "title",
    "owner",
    "description",
    "division_mode",
    "division_note",
    "term_start",
    "term_end",
    "parks",
    "parties",
    "companies",
    "cooperation_fields",
    "policies",
    "enterprises",
    "versions",
    "status",
    "signed_on",
    "transitions",
    "sources",
)
PARTY_FIELDS = ("key", "organization", "roles", "order")
COMPANY_FIELDS = ("name", "enterprise", "shares", "sources")
SHARE_FIELDS = ("shareholder", "shareholder_name", "share", "effective_from")
FIELD_FIELDS = ("name", "sources")
POLICY_FIELDS = ("name", "issued_by", "note", "sources")
COVERED_FIELDS = (
    "enterprise",
    "introduced_by",
    "settled_on",
    "production_on",
    "full_production_on",
    "moved_on",
    "illustrative",
    "sources",
)
VERSION_FIELDS = ("number", "effective_from", "note", "rules", "sources")
RULE_FIELDS = ("key", "indicator", "scope", "kind", "params", "note", "illustrative", "sources")
TRANSITION_FIELDS = ("to", "date", "note")
SOURCE_FIELDS = ("file", "quote", "url")
DATE_FIELDS = details.DATE_FIELDS


class DocumentError(Invalid):
    """A document that cannot be loaded; `detail` maps each field path to its reason."""


# ---------------------------------------------------------------- references


@dataclass
class Refs:
    """How a document names what lives outside the agreement.

    `keys` optionally maps a namespace ("organizations", "parks", "enterprises") to short
    keys (the demo data's), tried before names.
    """

    keys: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def _key(self, namespace: str, value: Any) -> Any:
        if isinstance(value, str):
            return self.keys.get(namespace, {}).get(value)
        return None

    def organization(self, value: Any) -> Organization | str:
        """The organisation (by key, name or id), or the reason it is not found."""
        found = self._key("organizations", value)
        if found is None and isinstance(value, str):
            found = Organization.objects.filter(name=value.strip()).first()
        if found is None and isinstance(value, int) and not isinstance(value, bool):
            found = Organization.objects.filter(pk=value).first()
        return found or _("机构不存在:%(name)s") % {"name": value}

    def park(self, value: Any) -> Park | str:
        found = self._key("parks", value)
        if found is not None:
            return found
        name, region = value, None
        if isinstance(value, Mapping):
            name, region = value.get("name"), value.get("region")
        if not isinstance(name, str) or not name.strip():
            return _("园区应写作名称,或 {name, region}。")
        parks = Park.objects.filter(name=name.strip())
        if region is not None:
            parks = parks.filter(region_id=str(region))
        matches = list(parks[:2])
        if len(matches) > 1:
            return _("有多个园区名为“%(name)s”,请写明 region(行政区划代码)。") % {"name": name}
        return matches[0] if matches else _("园区不存在:%(name)s") % {"name": name}

    def enterprise(self, value: Any) -> Enterprise | str:
        found = self._key("enterprises", value)
        if found is not None:
            return found
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, Mapping) or not (value.get("uscc") or value.get("name")):
            return _("企业应写作 {uscc} 或 {name, region}。")
        if value.get("uscc"):
            code = uscc_rules.normalise(str(value["uscc"]))
            return Enterprise.objects.filter(uscc=code).first() or _(
                "没有统一社会信用代码为 %(code)s 的企业。"
            ) % {"code": code}
        name = str(value["name"]).strip()
        firms = Enterprise.objects.filter(normalized_name=normalise_name(name))
        if value.get("region") is not None:
            firms = firms.filter(region_id=str(value["region"]))
        matches = list(firms[:2])
        if len(matches) > 1:
            return _("有多家企业名为“%(name)s”,请写明 region 或 uscc。") % {"name": name}
        return matches[0] if matches else _("企业不存在:%(name)s") % {"name": name}


def enterprise_ref(enterprise: Enterprise) -> dict[str, str]:
    if enterprise.uscc:
        return {"uscc": enterprise.uscc, "name": enterprise.name}
    return {"name": enterprise.name, "region": str(enterprise.region_id)}


def park_ref(park: Park) -> dict[str, str]:
    return {"name": park.name, "region": str(park.region_id)}


# ---------------------------------------------------------------- reading


@dataclass
class Parsed:
    """A document after its shape and references were checked, before anything is saved."""

    owner: Organization | None = None
    header: dict[str, Any] = field(default_factory=dict)
    parks: list[Park] = field(default_factory=list)
    parties: list[PartySpec] = field(default_factory=list)
    companies: list[dict[str, Any]] = field(default_factory=list)
    fields: list[dict[str, Any]] = field(default_factory=list)
    policies: list[dict[str, Any]] = field(default_factory=list)
    covered: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    transitions: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)


class Reader:
    """Checks a document's shape, collecting every problem under its path."""

    def __init__(self, refs: Refs) -> None:
        self.refs = refs
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path or "document", message)

    def mapping(
        self, value: Any, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(path, _("应为一个映射(键: 值)。"))
            return {}
        for name in value:
            if name not in allowed:
                self.fail(_join(path, str(name)), _("未知字段。"))
        for name in required:
            if value.get(name) in (None, ""):
                self.fail(_join(path, name), _("必填。"))
        return dict(value)

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, _("应为一个列表。"))
            return []
        return value

    def text(self, m: Mapping[str, Any], name: str, path: str) -> str:
        value = m.get(name)
        if value is None:
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.fail(_join(path, name), _("应为文字。"))
            return ""
        return str(value)

    def day(self, m: Mapping[str, Any], name: str, path: str) -> date | None:
        value = m.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(_join(path, name), _("日期应写作 YYYY-MM-DD。"))
            return None

    def flag(self, m: Mapping[str, Any], name: str, path: str) -> bool:
        value = m.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(_join(path, name), _("应为 true 或 false。"))
            return False
        return value

    def sources(self, m: Mapping[str, Any], path: str) -> list[dict[str, str]]:
        found = []
        for index, item in enumerate(self.items(m.get("sources"), _join(path, "sources"))):
            where = f"{_join(path, 'sources')}[{index}]"
            src = self.mapping(item, where, SOURCE_FIELDS, ("file", "quote"))
            if src.get("file") and src.get("quote"):
                found.append({k: str(v) for k, v in src.items() if v is not None})
        return found

    def ref(self, resolve: Callable[[Any], Any], value: Any, path: str) -> Any:
        found = resolve(value)
        if isinstance(found, str):
            self.fail(path, found)
            return None
        return found

    def party(self, keys: set[str], value: Any, path: str) -> str | None:
        if value in (None, ""):
            return None
        if not isinstance(value, str) or value not in keys:
            self.fail(path, _("协议方不存在:%(key)s") % {"key": value})
            return None
        return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def parse(data: Any, refs: Refs | None = None) -> Parsed:
    """Check a document's shape and references; raises DocumentError with every problem."""
    reader = Reader(refs or Refs())
    doc = reader.mapping(data, "", TOP_FIELDS, ("title", "parties", "versions"))
    parsed = Parsed()
    if doc.get("format") not in (None, FORMAT):
        reader.fail("format", _("不支持的格式:%(value)s") % {"value": doc.get("format")})
    if doc.get("owner") is not None:
        parsed.owner = reader.ref(reader.refs.organization, doc["owner"], "owner")
    parsed.header = {
        "title": reader.text(doc, "title", ""),
        "description": reader.text(doc, "description", ""),
        "division_mode": reader.text(doc, "division_mode", ""),
        "division_note": reader.text(doc, "division_note", ""),
        "term_start": reader.day(doc, "term_start", ""),
        "term_end": reader.day(doc, "term_end", ""),
    }
    parsed.sources = reader.sources(doc, "")
    for index, item in enumerate(reader.items(doc.get("parks"), "parks")):
        park = reader.ref(reader.refs.park, item, f"parks[{index}]")
        if park is not None:
            parsed.parks.append(park)
    _parse_parties(reader, doc, parsed)
    keys = {spec.key for spec in parsed.parties}
    _parse_companies(reader, doc, parsed, keys)
    _parse_fields_and_policies(reader, doc, parsed, keys)
    _parse_covered(reader, doc, parsed, keys)
    _parse_versions(reader, doc, parsed, keys)
    _parse_transitions(reader, doc, parsed)
    if reader.errors:
        raise DocumentError(next(iter(reader.errors.values())), detail=reader.errors)
    return parsed


def _parse_parties(reader: Reader, doc: dict[str, Any], parsed: Parsed) -> None:
    for index, item in enumerate(reader.items(doc.get("parties"), "parties")):
        path = f"parties[{index}]"
        m = reader.mapping(item, path, PARTY_FIELDS, ("key", "organization"))
        org = reader.ref(reader.refs.organization, m.get("organization"), f"{path}.organization")
        roles = reader.items(m.get("roles"), f"{path}.roles")
        order = m.get("order", index)
        if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767:
            reader.fail(f"{path}.order", _("应为0至32767之间的整数。"))
            order = index
        if org is not None:
            parsed.parties.append(
                PartySpec(org, reader.text(m, "key", path), [str(r) for r in roles], order)
            )


def _parse_companies(reader: Reader, doc: dict[str, Any], parsed: Parsed, keys: set[str]) -> None:
    for index, item in enumerate(reader.items(doc.get("companies"), "companies")):
        path = f"companies[{index}]"
        m = reader.mapping(item, path, COMPANY_FIELDS, ("name",))
        enterprise = None
        if m.get("enterprise") is not None:
            enterprise = reader.ref(reader.refs.enterprise, m["enterprise"], f"{path}.enterprise")
        shares = []
        for n, raw in enumerate(reader.items(m.get("shares"), f"{path}.shares")):
            where = f"{path}.shares[{n}]"
            share = reader.mapping(raw, where, SHARE_FIELDS, ("shareholder", "share"))
            holder = reader.party(keys, share.get("shareholder"), f"{where}.shareholder")
            shares.append(
                {
                    "shareholder": holder,
                    "share": reader.text(share, "share", where),
                    "shareholder_name": reader.text(share, "shareholder_name", where),
                    "effective_from": reader.day(share, "effective_from", where),
                }
            )
        parsed.companies.append(
            {
                "name": reader.text(m, "name", path),
                "enterprise": enterprise,
                "shares": shares,
                "sources": reader.sources(m, path),
            }
        )


def _parse_fields_and_policies(
    reader: Reader, doc: dict[str, Any], parsed: Parsed, keys: set[str]
) -> None:
    for index, item in enumerate(reader.items(doc.get("cooperation_fields"), "cooperation_fields")):
        path = f"cooperation_fields[{index}]"
        if isinstance(item, str):
            parsed.fields.append({"name": item, "sources": []})
            continue
        m = reader.mapping(item, path, FIELD_FIELDS, ("name",))
        parsed.fields.append(
            {"name": reader.text(m, "name", path), "sources": reader.sources(m, path)}
        )
    for index, item in enumerate(reader.items(doc.get("policies"), "policies")):
        path = f"policies[{index}]"
        m = reader.mapping(item, path, POLICY_FIELDS, ("name",))
        parsed.policies.append(
            {
                "name": reader.text(m, "name", path),
                "issued_by": reader.party(keys, m.get("issued_by"), f"{path}.issued_by"),
                "note": reader.text(m, "note", path),
                "sources": reader.sources(m, path),
            }
        )


def _parse_covered(reader: Reader, doc: dict[str, Any], parsed: Parsed, keys: set[str]) -> None:
    for index, item in enumerate(reader.items(doc.get("enterprises"), "enterprises")):
        path = f"enterprises[{index}]"
        m = reader.mapping(item, path, COVERED_FIELDS, ("enterprise",))
        parsed.covered.append(
            {
                "enterprise": reader.ref(
                    reader.refs.enterprise, m.get("enterprise"), f"{path}.enterprise"
                ),
                "introduced_by": reader.party(
                    keys, m.get("introduced_by"), f"{path}.introduced_by"
                ),
                **{name: reader.day(m, name, path) for name in DATE_FIELDS},
                "illustrative": reader.flag(m, "illustrative", path),
                "sources": reader.sources(m, path),
            }
        )


def _parse_scope(reader: Reader, value: Any, path: str, keys: set[str]) -> dict[str, Any]:
    """`all`, {introduced_by: KEY}, {list: [enterprises]} or {enterprise: an enterprise}."""
    if value in (None, ScopeKind.ALL.value):
        return {"scope_kind": ScopeKind.ALL.value, "scope_party": None, "enterprises": []}
    m = reader.mapping(value, path, ("introduced_by", "list", "enterprise"))
    if len(m) != 1:
        reader.fail(path, _("适用范围应写作 all、{introduced_by}、{list} 或 {enterprise} 之一。"))
        return {}
    ((kind, target),) = m.items()
    if kind == "introduced_by":
        party = reader.party(keys, target, f"{path}.introduced_by")
        return {"scope_kind": kind, "scope_party": party, "enterprises": []}
    targets = reader.items(target, f"{path}.list") if kind == "list" else [target]
    found = []
    for n, each in enumerate(targets):
        where = f"{path}.list[{n}]" if kind == "list" else f"{path}.enterprise"
        enterprise = reader.ref(reader.refs.enterprise, each, where)
        if enterprise is not None:
            found.append(enterprise)
    return {"scope_kind": kind, "scope_party": None, "enterprises": found}


def _parse_versions(reader: Reader, doc: dict[str, Any], parsed: Parsed, keys: set[str]) -> None:
    items = reader.items(doc.get("versions"), "versions")
    if "versions" in doc and not items and "versions" not in reader.errors:
        reader.fail("versions", _("至少需要一个版本(第1版的生效日期)。"))
    for index, item in enumerate(items):
        path = f"versions[{index}]"
        m = reader.mapping(item, path, VERSION_FIELDS, ("effective_from",))
        if m.get("number") not in (None, index + 1):
            reader.fail(f"{path}.number", _("版本号应依次为 1、2、3……"))
        rule_list = []
        for n, raw in enumerate(reader.items(m.get("rules"), f"{path}.rules")):
            where = f"{path}.rules[{n}]"
            rule = reader.mapping(raw, where, RULE_FIELDS, ("key", "indicator", "kind"))
            params = rule.get("params") or {}
            if not isinstance(params, Mapping):
                reader.fail(f"{where}.params", _("参数须是一个 JSON 对象。"))
                params = {}
            rule_list.append(
                {
                    "key": reader.text(rule, "key", where),
                    "indicator": reader.text(rule, "indicator", where),
                    "kind": reader.text(rule, "kind", where),
                    "params": _plain(params),
                    "note": reader.text(rule, "note", where),
                    "illustrative": reader.flag(rule, "illustrative", where),
                    "sources": reader.sources(rule, where),
                    **_parse_scope(reader, rule.get("scope"), f"{where}.scope", keys),
                }
            )
        parsed.versions.append(
            {
                "effective_from": reader.day(m, "effective_from", path),
                "note": reader.text(m, "note", path),
                "rules": rule_list,
                "sources": reader.sources(m, path),
            }
        )


def _plain(value: Any) -> Any:
    """Parameters as JSON stores them: dates written without quotes become ISO text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _parse_transitions(reader: Reader, doc: dict[str, Any], parsed: Parsed) -> None:
    steps = reader.items(doc.get("transitions"), "transitions")
    for index, item in enumerate(steps):
        path = f"transitions[{index}]"
        m = reader.mapping(item, path, TRANSITION_FIELDS, ("to", "date"))
        parsed.transitions.append(
            {
                "to": reader.text(m, "to", path),
                "date": reader.day(m, "date", path),
                "note": reader.text(m, "note", path),
            }
        )
    status = doc.get("status")
    if status is not None and not steps and status != "draft":
        reader.fail("transitions", _("状态不是草拟时,请列出状态变更(transitions)。"))
    final = parsed.transitions[-1]["to"] if parsed.transitions else "draft"
    if status is not None and status != final and "transitions" not in reader.errors:
        reader.fail(
            "status",
            _("状态“%(status)s”与状态变更的结果“%(final)s”不一致。")
            % {"status": status, "final": final},
        )


# ---------------------------------------------------------------- loading


@contextmanager
def at(path: str) -> Iterator[None]:
    """Re-raise a service's refusal with every field under `path` in the document."""
    try:
        yield
    except ParkLinkError as exc:
        # An Invalid's detail maps fields to messages; other refusals carry data, not words.
        detail = exc.detail if isinstance(exc, Invalid) and isinstance(exc.detail, dict) else {}
        fields = {
            _join(path, str(name)): str(message)
            for name, message in detail.items()
            if name != "en" and isinstance(message, str)
        }
        fields = fields or {path or "document": exc.message}
        raise DocumentError(exc.message, detail=fields) from exc


@transaction.atomic
def load(user: User, data: Any, refs: Refs | None = None) -> Agreement:
    """Create the agreement a document describes, all or nothing (see the module's doc)."""
    parsed = parse(data, refs)
    owner = parsed.owner or user.organization
    if owner is None:
        raise DocumentError(_("请写明起草机构(owner)。"), detail={"owner": _("必填。")})
    with at("owner"):
        ensure_can_write(user, owner.pk)
    title = parsed.header["title"].strip()
    if Agreement.objects.filter(owner=owner, title=title).exists():
        message = _("该机构已有名为“%(title)s”的共建协议。") % {"title": title}
        raise DocumentError(message, detail={"title": message})
    first = parsed.versions[0]
    with at(""):
        made = agreements.create_agreement(
            user,
            owner_id=owner.pk,
            effective_from=first["effective_from"],
            parties=parsed.parties,
            parks=parsed.parks,
            note=first["note"],
            **parsed.header,
        )
    cite(made, parsed.sources)
    party = {p.key: p for p in made.parties.all()}
    _load_details(user, made, parsed, party)
    _load_versions(user, made, parsed, party)
    for index, step in enumerate(parsed.transitions):
        with at(f"transitions[{index}]"):
            lifecycle.transition(user, made, step["to"], on=step["date"], note=step["note"])
    made.refresh_from_db()
    return made


def _load_details(user: User, made: Agreement, parsed: Parsed, party: dict[str, Party]) -> None:
    for index, item in enumerate(parsed.companies):
        shares = [
            ShareSpec(
                party[s["shareholder"]], s["share"], s["shareholder_name"], s["effective_from"]
            )
            for s in item["shares"]
        ]
        with at(f"companies[{index}]"):
            company = details.save_company(
                user, made, name=item["name"], enterprise=item["enterprise"], shares=shares
            )
        cite(company, item["sources"])
    for index, item in enumerate(parsed.fields):
        with at(f"cooperation_fields[{index}]"):
            made_field = details.save_field(user, made, name=item["name"])
        cite(made_field, item["sources"])
    for index, item in enumerate(parsed.policies):
        with at(f"policies[{index}]"):
            policy = details.save_policy(
                user,
                made,
                name=item["name"],
                issued_by=party.get(item["issued_by"] or ""),
                note=item["note"],
            )
        cite(policy, item["sources"])
    for index, item in enumerate(parsed.covered):
        values = {k: v for k, v in item.items() if k != "sources"}
        values["introduced_by"] = party.get(item["introduced_by"] or "")
        with at(f"enterprises[{index}]"):
            covered = details.save_covered(user, made, **values)
        cite(covered, item["sources"])


def _load_versions(user: User, made: Agreement, parsed: Parsed, party: dict[str, Party]) -> None:
    for index, item in enumerate(parsed.versions):
        path = f"versions[{index}]"
        if index == 0:
            version = made.versions.get(number=1)
        else:
            with at(path):
                version = versions.amend(user, made, item["effective_from"], note=item["note"])
            for copied in version.rules.all():
                rules.delete_rule(user, copied)
        cite(version, item["sources"])
        for n, rule in enumerate(item["rules"]):
            values = {k: v for k, v in rule.items() if k != "sources"}
            values["scope_party"] = party.get(rule["scope_party"] or "")
            with at(f"{path}.rules[{n}]"):
                saved = rules.save_rule(user, version, **values)
            cite(saved, rule["sources"])


def read_text(text: str) -> Any:
    """The document in a YAML or JSON text (JSON is read as YAML)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "?"
        message = _("无法读取 YAML/JSON(第%(where)s处):%(problem)s") % {
            "where": where,
            "problem": getattr(exc, "problem", None) or str(exc),
        }
        raise DocumentError(message, detail={"document": message}) from exc


# ---------------------------------------------------------------- writing


def _sources(obj: Any) -> list[dict[str, str]]:
    found = []
    for citation in sources_of(obj):
        src = {"file": citation.document, "quote": citation.quote}
        if citation.url:
            src["url"] = citation.url
        found.append(src)
    return found


def _with_sources(entry: dict[str, Any], obj: Any) -> dict[str, Any]:
    cited = _sources(obj)
    if cited:
        entry["sources"] = cited
    return entry


def _enterprise_key(enterprise: Enterprise) -> tuple[str, str, str]:
    return (enterprise.uscc or "", enterprise.name, str(enterprise.region_id))


def _rule_entry(rule: Rule) -> dict[str, Any]:
    scope: Any = ScopeKind.ALL.value
    if rule.scope_kind == ScopeKind.INTRODUCED_BY:
        scope = {"introduced_by": rule.scope_party.key if rule.scope_party else None}
    elif rule.scope_kind == ScopeKind.LIST:
        firms = sorted(rule.enterprises.all(), key=_enterprise_key)
        scope = {"list": [enterprise_ref(e) for e in firms]}
    elif rule.scope_kind == ScopeKind.ENTERPRISE:
        firm = rule.enterprises.first()
        scope = {"enterprise": enterprise_ref(firm) if firm else None}
    entry = {
        "key": rule.key,
        "indicator": rule.indicator,
        "scope": scope,
        "kind": rule.kind,
        "params": rule.params,
        "note": rule.note,
        "illustrative": rule.illustrative,
    }
    return _with_sources(entry, rule)


def document(agreement: Agreement) -> dict[str, Any]:
    """The agreement as a document: plain mappings, lists, text, numbers and dates."""
    parties = list(agreement.parties.select_related("organization").order_by("order", "id"))
    companies = OperatingCompany.objects.filter(agreement=agreement).select_related("enterprise")
    fields: list[Any] = []
    for item in CooperationField.objects.filter(agreement=agreement):
        cited = _sources(item)
        fields.append({"name": item.name, "sources": cited} if cited else item.name)
    version_list: list[AgreementVersion] = list(agreement.versions.order_by("number"))
    transitions = agreement.transitions.order_by("recorded_at", "id")
    return {
        "format": FORMAT,
        "title": agreement.title,
        "owner": agreement.owner.name,
        "description": agreement.description,
        "division_mode": agreement.division_mode,
        "division_note": agreement.division_note,
        "term_start": agreement.term_start,
        "term_end": agreement.term_end,
        "parks": [
            park_ref(p) for p in sorted(agreement.parks.all(), key=lambda p: (p.name, p.region_id))
        ],
        "parties": [
            {
                "key": p.key,
                "organization": p.organization.name,
                "roles": list(p.roles),
                "order": p.order,
            }
            for p in parties
        ],
        "companies": [
            _with_sources(
                {
                    "name": company.name,
                    "enterprise": enterprise_ref(company.enterprise)
                    if company.enterprise
                    else None,
                    "shares": [
                        {
                            "shareholder": share.shareholder.key,
                            "shareholder_name": share.shareholder_name,
                            "share": share.share,
                            "effective_from": share.effective_from,
                        }
                        for share in company.shares.select_related("shareholder")
                    ],
                },
                company,
            )
            for company in companies
        ],
        "cooperation_fields": fields,
        "policies": [
            _with_sources(
                {
                    "name": policy.name,
                    "issued_by": policy.issued_by.key if policy.issued_by else None,
                    "note": policy.note,
                },
                policy,
            )
            for policy in SharedPolicy.objects.filter(agreement=agreement).select_related(
                "issued_by"
            )
        ],
        "enterprises": [
            _with_sources(
                {
                    "enterprise": enterprise_ref(c.enterprise),
                    "introduced_by": c.introduced_by.key if c.introduced_by else None,
                    **{name: getattr(c, name) for name in DATE_FIELDS},
                    "illustrative": c.illustrative,
                },
                c,
            )
            for c in CoveredEnterprise.objects.filter(agreement=agreement).select_related(
                "enterprise", "introduced_by"
            )
        ],
        "versions": [
            _with_sources(
                {
                    "number": v.number,
                    "effective_from": v.effective_from,
                    "note": v.note,
                    "rules": [
                        _rule_entry(rule)
                        for rule in v.rules.select_related("scope_party").prefetch_related(
                            "enterprises"
                        )
                    ],
                },
                v,
            )
            for v in version_list
        ],
        "status": agreement.status,
        "signed_on": agreement.signed_on,
        "transitions": [
            {"to": t.to_status, "date": t.effective_on, "note": t.note} for t in transitions
        ],
        **({"sources": _sources(agreement)} if _sources(agreement) else {}),
    }


class _Dumper(yaml.SafeDumper):
    """Block style, except that a short list of plain values stays on one line ([1, 3])."""


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flat = all(item is None or isinstance(item, str | int) for item in items)
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", items, flow_style=flat and len(items) <= 6 and bool(items)
    )


_Dumper.add_representer(list, _represent_list)


def dump(agreement: Agreement, fmt: str = "yaml") -> str:
    """The agreement's document as YAML (with a header comment) or JSON text."""
    doc = document(agreement)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
    return HEADER + yaml.dump(
        doc,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
