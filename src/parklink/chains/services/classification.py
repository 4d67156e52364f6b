"""Placing the registry's enterprises in chain segments, and the users' corrections.

`classify_registry` runs the classifier (one Aho–Corasick automaton over every template's
keywords, `chains.classify`) over the whole registry or over the enterprises saved or
imported since the last run (`ChangedEnterprise`, filled by the enterprise's post_save and by
the bulk import's `enterprises_imported` signal), in batches:
one read, one delete and one bulk insert per batch, never a query per enterprise. It keeps each
chain's top three candidates per enterprise with their rank, score and evidence; a candidate
whose score reaches the classifier's threshold (`classify.ACCEPT`) counts on the maps.

A correction (`correct`) replaces, for one enterprise and one template, whatever the
classifier says: the runs never touch correction rows, and `effective` reads them first.
Corrections are also the answers the classifier is measured against (`accuracy`).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.chains import classify
from parklink.chains.catalog import Chain
from parklink.chains.models import (
    Assignment,
    ChainTemplate,
    ChangedEnterprise,
    Source,
    TemplateVersion,
)
from parklink.chains.services import templates as template_rules
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.enterprises.models import Enterprise

TOP = 3  # candidates kept per enterprise and chain
BATCH = 2000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Placement:
    """An enterprise in a segment as the maps count it."""

    segment: str
    score: float
    confirmed: bool
    evidence: tuple[str, ...] = ()


@dataclass
class RunSummary:
    enterprises: int = 0
    assignments: int = 0
    seconds: float = 0.0
    templates: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "enterprises": self.enterprises,
            "assignments": self.assignments,
            "seconds": round(self.seconds, 2),
            "templates": self.templates,
        }


# ---------------------------------------------------------------- the text classified


def scope_text(business_scope: str | None, description: str | None) -> str:
    """What the classifier reads besides the name: the 经营范围, or the 简介 when it is blank.

    A registry loaded before the scope column existed (or a source without scopes) still
    classifies from the description; a scope, once given, is read alone.
    """
    scope = (business_scope or "").strip()
    return scope if scope else (description or "")


# ---------------------------------------------------------------- the changed enterprises


MARK_BATCH = 900  # ids a statement outside PostgreSQL (SQLite: a million in parts)


def mark_changed(enterprise_ids: Iterable[int]) -> None:
    """Queue the enterprises for the next `--changed` run (an import: up to a million at once).

    One set-based statement: each id inserted, or its time moved on when it is queued
    already. On PostgreSQL the ids go as one array (`unnest`), however many; elsewhere in
    parts of `MARK_BATCH`, one upsert each.
    """
    ids = list(enterprise_ids)
    if not ids:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ChangedEnterprise._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (enterprise_id, changed_at) "
                "SELECT DISTINCT pk, %s FROM unnest(%s::bigint[]) AS ids (pk) "
                "ON CONFLICT (enterprise_id) DO UPDATE SET changed_at = EXCLUDED.changed_at",
                [now, ids],
            )
        return
    for start in range(0, len(ids), MARK_BATCH):
        part = list(dict.fromkeys(ids[start : start + MARK_BATCH]))
        ChangedEnterprise.objects.bulk_create(
            [ChangedEnterprise(enterprise_id=pk, changed_at=now) for pk in part],
            update_conflicts=True,
            unique_fields=["enterprise"],
            update_fields=["changed_at"],
        )


def on_enterprise_saved(sender: Any, instance: Enterprise, raw: bool = False, **_: Any) -> None:
    """post_save of Enterprise (pages, API, imports): classify it again on the next run."""
    if not raw:
        mark_changed([instance.pk])


def on_enterprises_imported(sender: Any, ids: Sequence[int] = (), **_: Any) -> None:
    """`enterprises_imported` (the bulk import, no post_save per row): queue every new one.

    Sent inside the import's transaction, so an import that fails queues nothing.
    """
    queue_new(ids)


# From this many new enterprises on, PostgreSQL checks the queue's foreign key once for all
# rows (`queue_new`) instead of once per row at the commit.
CHECK_ONCE_FROM = 50_000


def queue_new(enterprise_ids: Sequence[int]) -> None:
    """Queue enterprises created in this transaction (a bulk import, up to a million).

    None of them can be queued already (the queue's rows refer to existing enterprises, and
    a new key was never handed out before), so on PostgreSQL the rows are simply inserted,
    without the upsert's per-row conflict check: the keys as one `generate_series` when they
    are a block (`range`), else one array. From `CHECK_ONCE_FROM` ids on, the queue's foreign
    keys are dropped and added back around the insert, in the same transaction: adding a key
    checks every row in one join, where a deferred key runs a lookup (and a row lock on the
    enterprise) per row at the commit. The queue table is locked (ACCESS EXCLUSIVE) from then
    until the commit; the import has locked the enterprises already. Elsewhere `mark_changed`.
    """
    if not enterprise_ids:
        return
    if connection.vendor != "postgresql":
        mark_changed(enterprise_ids)
        return
    table = connection.ops.quote_name(ChangedEnterprise._meta.db_table)
    if isinstance(enterprise_ids, range) and enterprise_ids.step == 1:
        source = "generate_series(%s::bigint, %s::bigint)"
        params: list[Any] = [enterprise_ids.start, enterprise_ids.stop - 1]
    else:
        source = "unnest(%s::bigint[])"
        params = [list(enterprise_ids)]
    checked_once = len(enterprise_ids) >= CHECK_ONCE_FROM
    with connection.cursor() as cursor:
        keys = _drop_foreign_keys(cursor, ChangedEnterprise._meta.db_table) if checked_once else []
        cursor.execute(
            f"INSERT INTO {table} (enterprise_id, changed_at) "
            f"SELECT pk, %s FROM {source} AS ids (pk)",
            [timezone.now(), *params],
        )
        for name, definition in keys:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {definition}")


def _drop_foreign_keys(cursor: Any, table: str) -> list[tuple[str, str]]:
    """Drop `table`'s foreign keys (PostgreSQL); their names and definitions, to add back."""
    # A key cannot be dropped with checks deferred to the commit pending on the table: they
    # are made now, and the keys (deferred to the commit, as Django makes them) deferred again.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    keys = [(name, definition) for name, definition in cursor.fetchall()]
    quoted = connection.ops.quote_name(table)
    for name, _definition in keys:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    return keys


def pending() -> int:
    return ChangedEnterprise.objects.count()


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class _Group:
    classifier: Any
    templates: dict[str, tuple[int, int]]  # chain key → (template id, version id)


def _groups(versions: Sequence[TemplateVersion]) -> list[_Group]:
    """One classifier over every shipped template; each organisation's template on its own.

    An organisation's copy keeps the shipped chain's key, so it cannot share an automaton
    with the shipped one (the classifier names chains by key).
    """
    shipped: list[tuple[Chain, TemplateVersion]] = []
    groups: list[_Group] = []
    for version in versions:
        chain = template_rules.chain_of(version)
        if version.template.owner_id is None:
            shipped.append((chain, version))
        else:
            groups.append(
                _Group(
                    classify.Classifier([chain]),
                    {chain.key: (version.template_id, version.pk)},
                )
            )
    if shipped:
        groups.insert(
            0,
            _Group(
                classify.Classifier([chain for chain, _v in shipped]),
                {chain.key: (v.template_id, v.pk) for chain, v in shipped},
            ),
        )
    return groups


Row = tuple[int, int, int, str, float, int, bool, str, str]
INSERT_COLUMNS = (
    "enterprise_id",
    "template_id",
    "version_id",
    "segment",
    "score",
    "rank",
    "accepted",
    "evidence",
    "source",
)


def _rows_for(groups: Sequence[_Group], enterprise: tuple[int, str, str, str]) -> list[Row]:
    """The classifier's rows for one enterprise, as plain tuples for `_insert`."""
    pk, name, scope, code = enterprise
    rows: list[Row] = []
    for group in groups:
        found = group.classifier.classify(name, scope or "", code or None)
        per_chain: dict[str, list[Any]] = defaultdict(list)
        for candidate in sorted(found, key=lambda c: -c.score):
            chain_key = getattr(candidate.chain, "key", candidate.chain)
            if chain_key in group.templates and len(per_chain[chain_key]) < TOP:
                per_chain[chain_key].append(candidate)
        for chain_key, candidates in per_chain.items():
            template_id, version_id = group.templates[chain_key]
            for rank, candidate in enumerate(candidates, start=1):
                segment = getattr(candidate.segment, "key", candidate.segment)
                score = float(candidate.score)
                evidence = [str(item) for item in candidate.evidence][:20]
                rows.append(
                    (
                        pk,
                        template_id,
                        version_id,
                        segment,
                        round(score, 4),
                        rank,
                        score >= classify.ACCEPT,
                        json.dumps(evidence, ensure_ascii=False),
                        Source.CLASSIFIER.value,
                    )
                )
    return rows


def _insert(rows: Sequence[Row]) -> None:
    """One multi-row INSERT per 500 rows, without the ORM's per-object work (the run's hot path)."""
    if not rows:
        return
    table = connection.ops.quote_name(Assignment._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in INSERT_COLUMNS)
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    one = f"(%s, %s, %s, %s, %s, %s, %s, %s{json_cast}, %s)"
    size = 500 if connection.vendor == "postgresql" else 999 // len(INSERT_COLUMNS)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}",
                [value for row in part for value in row],
            )


def _versions(template_ids: Iterable[int] | None) -> list[TemplateVersion]:
    templates: QuerySet[ChainTemplate] = ChainTemplate.objects.all()
    if template_ids is not None:
        templates = templates.filter(pk__in=list(template_ids))
    return sorted(template_rules.current_versions(templates).values(), key=lambda v: v.template_id)


def classify_registry(
    *,
    changed_only: bool = False,
    template_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> RunSummary:
    """Classify the registry (or the changed enterprises) against the templates' latest versions."""
    started = time.monotonic()
    versions = _versions(template_ids)
    summary = RunSummary(templates=[f"{v.template.key} v{v.number}" for v in versions])
    if not versions:
        return summary
    groups = _groups(versions)
    template_pks = [v.template_id for v in versions]
    enterprises = Enterprise.objects.all()
    if changed_only:
        enterprises = enterprises.filter(pk__in=ChangedEnterprise.objects.values("enterprise_id"))
    total = enterprises.count()
    last = 0
    if progress:
        progress(0, total)
    while True:
        chunk = list(
            enterprises.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "name", "business_scope", "description", "industry_code")[:batch]
        )
        if not chunk:
            break
        ids = [row[0] for row in chunk]
        rows = [
            row
            for pk, name, scope, description, code in chunk
            for row in _rows_for(groups, (pk, name, scope_text(scope, description), code))
        ]
        with transaction.atomic():
            Assignment.objects.filter(
                source=Source.CLASSIFIER, enterprise_id__in=ids, template_id__in=template_pks
            ).delete()
            _insert(rows)
            ChangedEnterprise.objects.filter(enterprise_id__in=ids).delete()
        summary.enterprises += len(chunk)
        summary.assignments += len(rows)
        last = ids[-1]
        if progress:
            progress(summary.enterprises, total)
    TemplateVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        classified_at=timezone.now()
    )
    summary.seconds = time.monotonic() - started
    return summary


# ---------------------------------------------------------------- what counts on a map


def effective(rows: Iterable[Sequence[Any]]) -> dict[tuple[int, int], list[Placement]]:
    """(enterprise, template) → placements, from rows of
    (enterprise_id, template_id, segment, score, source, accepted[, evidence]) — `LEAN_FIELDS`
    where the evidence is not shown (maps, targets), `ROW_FIELDS` where it is.

    Corrections win: an enterprise with a correction row on a template is placed by its
    corrections alone (none, when the correction says "no segment"); otherwise by the
    classifier's accepted candidates.
    """
    corrected: dict[tuple[int, int], list[Placement]] = defaultdict(list)
    classified: dict[tuple[int, int], list[Placement]] = defaultdict(list)
    for enterprise_id, template_id, segment, score, source, accepted, *rest in rows:
        key = (enterprise_id, template_id)
        evidence = rest[0] if rest else ()
        if source == Source.CORRECTION:
            placements = corrected[key]
            if segment:
                placements.append(Placement(segment, 1.0, True, tuple(evidence or ())))
        elif accepted:
            classified[key].append(Placement(segment, float(score), False, tuple(evidence or ())))
    result = {key: value for key, value in classified.items() if key not in corrected}
    result.update({key: value for key, value in corrected.items() if value})
    return result


ROW_FIELDS = ("enterprise_id", "template_id", "segment", "score", "source", "accepted", "evidence")
LEAN_FIELDS = ROW_FIELDS[:-1]


def evidence_for(
    template_id: int, segment: str, enterprise_ids: Sequence[int]
) -> dict[int, tuple[str, ...]]:
    """The evidence shown for a few enterprises in a segment (a correction's first)."""
    found: dict[int, tuple[str, ...]] = {}
    rows = (
        Assignment.objects.filter(
            template_id=template_id, segment=segment, enterprise_id__in=list(enterprise_ids)
        )
        .order_by("-source", "rank")  # "correction" sorts after "classifier": reversed
        .values_list("enterprise_id", "evidence")
    )
    for enterprise_id, evidence in rows:
        found.setdefault(enterprise_id, tuple(str(item) for item in evidence or ()))
    return found


def placements(
    template_ids: Iterable[int],
    enterprises: QuerySet[Enterprise] | None = None,
    segments: Sequence[str] | None = None,
) -> dict[tuple[int, int], list[Placement]]:
    """The effective placements on the templates, of the given enterprises (or all): one query.

    With `segments`, only enterprises with a row in one of them are read (all their rows, so
    that a correction elsewhere still overrides the classifier there).
    """
    ids = list(template_ids)
    rows = Assignment.objects.filter(template_id__in=ids)
    if enterprises is not None:
        rows = rows.filter(enterprise_id__in=enterprises.values("pk"))
    if segments is not None:
        rows = rows.filter(
            enterprise_id__in=Assignment.objects.filter(
                template_id__in=ids, segment__in=list(segments)
            ).values("enterprise_id")
        )
    return effective(rows.order_by().values_list(*ROW_FIELDS))


# ---------------------------------------------------------------- corrections


def ensure_can_correct(user: User, template: ChainTemplate) -> None:
    """An organisation's template: its officers. A shipped one: any officer or admin."""
    if template.owner_id is not None:
        template_rules.ensure_can_edit(user, template)
        return
    if user.is_superuser:
        return
    if user.organization_id is None:
        raise Forbidden(_("用户未关联任何机构,不能修正归属。"))
    ensure_can_write(user, user.organization_id)


@transaction.atomic
def correct(
    user: User,
    enterprise: Enterprise,
    template: ChainTemplate,
    segments: Sequence[str],
    note: str = "",
) -> list[Assignment]:
    """The enterprise's segments on the template, as the user states them (none: not in it)."""
    ensure_can_correct(user, template)
    version = template_rules.current_version(template)
    chain = template_rules.chain_of(version)
    known = {segment.key for segment in chain.segments}
    wanted = list(dict.fromkeys(s.strip() for s in segments if s.strip()))
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise Invalid.on(
            "segments",
            _("模板“%(chain)s”没有环节 %(keys)s")
            % {"chain": chain.name, "keys": ", ".join(unknown)},
        )
    Assignment.objects.filter(
        enterprise=enterprise, template=template, source=Source.CORRECTION
    ).delete()
    now = timezone.now()
    evidence = [_("人工修正") + (f":{note.strip()[:200]}" if note.strip() else "")]
    rows = [
        Assignment(
            enterprise=enterprise,
            template=template,
            version=version,
            segment=segment,
            score=1.0,
            rank=rank,
            accepted=True,
            evidence=evidence,
            source=Source.CORRECTION,
            corrected_by=user,
            corrected_at=now,
        )
        for rank, segment in enumerate(wanted or [""], start=1)
    ]
    return Assignment.objects.bulk_create(rows)


@transaction.atomic
def clear_correction(user: User, enterprise: Enterprise, template: ChainTemplate) -> int:
    """Hand the enterprise back to the classifier on this template."""
    ensure_can_correct(user, template)
    deleted, _detail = Assignment.objects.filter(
        enterprise=enterprise, template=template, source=Source.CORRECTION
    ).delete()
    return deleted


@dataclass(frozen=True)
class ChainCandidates:
    template: ChainTemplate
    version: TemplateVersion | None
    candidates: list[Assignment]
    corrections: list[Assignment]
    can_correct: bool


def for_enterprise(user: User, enterprise: Enterprise) -> list[ChainCandidates]:
    """The chains an enterprise is (or might be) in, as `user` sees them: two queries."""
    visible = template_rules.visible_templates(user)
    rows = list(
        Assignment.objects.filter(enterprise=enterprise, template__in=visible.values("pk"))
        .select_related("template__owner", "version", "corrected_by")
        .order_by("template__name", "source", "rank")
    )
    by_template: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows:
        by_template[row.template_id].append(row)
    found = []
    for items in by_template.values():
        template = items[0].template
        found.append(
            ChainCandidates(
                template=template,
                version=items[0].version,
                candidates=[a for a in items if a.source == Source.CLASSIFIER],
                corrections=[a for a in items if a.source == Source.CORRECTION],
                can_correct=may_correct(user, template),
            )
        )
    return sorted(
        found,
        key=lambda c: (not c.corrections, -max((a.score for a in c.candidates), default=0)),
    )


def may_correct(user: User, template: ChainTemplate) -> bool:
    try:
        ensure_can_correct(user, template)
    except Forbidden:
        return False
    return True


# ---------------------------------------------------------------- accuracy


@dataclass
class Accuracy:
    corrections: int = 0
    top1: int = 0
    top3: int = 0
    per_chain: dict[str, list[int]] = field(default_factory=dict)  # key → [n, top1, top3]

    def rate(self, hits: int, n: int | None = None) -> float | None:
        n = self.corrections if n is None else n
        return round(hits / n, 4) if n else None


def accuracy(user: User) -> Accuracy:
    """Top-1 and top-3 accuracy of the classifier against the corrections the user can see.

    Top-1 is right when the classifier's best accepted candidate is one of the corrected
    segments (or, for "no segment", when it accepted none); top-3 when any of its three
    candidates is.
    """
    visible = template_rules.visible_templates(user)
    rows = (
        Assignment.objects.filter(template__in=visible.values("pk"))
        .order_by()
        .values_list(
            "enterprise_id", "template_id", "template__key", "segment", "source", "accepted", "rank"
        )
    )
    truth: dict[tuple[int, int], set[str]] = {}
    ranked: dict[tuple[int, int], list[tuple[int, str, bool]]] = defaultdict(list)
    names: dict[int, str] = {}
    for enterprise_id, template_id, key, segment, source, ok, rank in rows:
        names[template_id] = key
        pair = (enterprise_id, template_id)
        if source == Source.CORRECTION:
            truth.setdefault(pair, set())
            if segment:
                truth[pair].add(segment)
        else:
            ranked[pair].append((rank, segment, ok))
    found = Accuracy()
    for pair, segments in truth.items():
        candidates = sorted(ranked.get(pair, []))
        accepted = [segment for _r, segment, ok in candidates if ok]
        if segments:
            hit1 = bool(accepted) and accepted[0] in segments
            hit3 = any(segment in segments for _r, segment, _ok in candidates[:TOP])
        else:
            hit1 = hit3 = not accepted
        stats = found.per_chain.setdefault(names[pair[1]], [0, 0, 0])
        stats[0] += 1
        stats[1] += hit1
        stats[2] += hit3
        found.corrections += 1
        found.top1 += hit1
        found.top3 += hit3
    return found


def get_enterprise(pk: int) -> Enterprise:
    found = Enterprise.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("企业不存在。"), detail={"enterprise": pk})
    return found
