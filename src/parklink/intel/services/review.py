"""The reviewer's decisions: edit an item, accept it (a new lead, or an update of the library
project it matches), merge it into another item or project, reject it with a reason.

Every decision writes a `Decision` (who, when, what, why, the fields before and after).
Projects change only through `projects.services` (create_project, update_project,
transition), and the article becomes the project's cited source with the item's sentences.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Conflict, Invalid, NotFound
from parklink.core.sources import cite
from parklink.enterprises.models import Enterprise
from parklink.intel.fields import AMOUNT_TARGET
from parklink.intel.models import Decision, DecisionAction, Item, ItemStatus
from parklink.intel.services import dedupe
from parklink.parks.models import Park
from parklink.projects import lifecycle
from parklink.projects import services as project_services
from parklink.projects.amounts import Qualifier
from parklink.projects.lifecycle import Stage
from parklink.projects.models import LeadSource, Project
from parklink.projects.queries import get_visible as get_visible_project
from parklink.regions.models import Region
from parklink.regions.services import resolve_region

QUALIFIERS = {q.value for q in Qualifier}
ENTRY_STAGES = {s.value for s in Stage} - {Stage.STALLED.value, Stage.TERMINATED.value}
KINDS = {"", *AMOUNT_TARGET, "funds_in_place", "cumulative_spend", "output", "revenue", "tax"}
TEXT_LIMITS = {"name": 200, "enterprise": 128, "place": 100, "park": 128, "sector": 64}


def _writable(user: User, item: Item) -> None:
    ensure_can_write(user, item.owner_id)


def _pending(item: Item) -> None:
    if item.status != ItemStatus.PENDING:
        raise Conflict(
            _("该条目已审核(%(status)s),不能再次处理") % {"status": item.get_status_display()},
            detail={"status": item.status},
        )


def clean_data(data: dict[str, Any]) -> dict[str, Any]:
    """The reviewer's fields checked one by one; Invalid names each bad field and why."""
    problems: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        text = str(data.get(name) or "").strip()
        if len(text) > limit:
            problems[name] = _("不能超过%(n)s个字") % {"n": limit}
        out[name] = text
    if not out["name"]:
        problems["name"] = _("项目名称不能为空")
    amount_text = str(data.get("amount") or "").strip().replace(",", "")
    if amount_text:
        try:
            value = Decimal(amount_text)
            if not value.is_finite() or value < 0:
                raise InvalidOperation
            problem = project_services.amount_problem(value)
            if problem:
                problems["amount"] = problem
            out["amount"] = format(value.quantize(Decimal("0.01")).normalize(), "f")
        except InvalidOperation:
            problems["amount"] = _("金额应为以元计的数字,如 1000000000")
    else:
        out["amount"] = ""
    qualifier = str(data.get("qualifier") or "exact")
    if qualifier not in QUALIFIERS:
        problems["qualifier"] = _("口径应为 exact、at_least 或 about")
    out["qualifier"] = qualifier
    kind = str(data.get("kind") or "")
    if kind not in KINDS:
        problems["kind"] = _("未知的金额类型: %(kind)s") % {"kind": kind}
    out["kind"] = kind
    stage = str(data.get("stage") or "lead")
    if stage not in ENTRY_STAGES:
        problems["stage"] = _("未知或不能入库的阶段: %(stage)s") % {"stage": stage}
    out["stage"] = stage
    when_text = str(data.get("stage_date") or "")
    if when_text:
        try:
            out["stage_date"] = date.fromisoformat(when_text).isoformat()
        except ValueError:
            problems["stage_date"] = _("日期格式应为 YYYY-MM-DD")
    else:
        out["stage_date"] = ""
    adcode = str(data.get("adcode") or "").strip()
    if adcode and not Region.objects.filter(adcode=adcode).exists():
        problems["adcode"] = _("行政区划代码不存在: %(code)s") % {"code": adcode}
    out["adcode"] = adcode
    for key in ("park_id", "enterprise_id"):
        given = data.get(key)
        try:
            out[key] = int(given) if given not in (None, "") else None
        except (TypeError, ValueError):
            problems[key] = _("应为编号")
    if out.get("park_id") and not Park.objects.filter(pk=out["park_id"]).exists():
        problems["park_id"] = _("园区不存在")
    if out.get("enterprise_id") and not Enterprise.objects.filter(pk=out["enterprise_id"]).exists():
        problems["enterprise_id"] = _("企业不存在")
    for key in ("currency", "foreign_amount"):
        out[key] = str(data.get(key) or "")
    if problems:
        raise Invalid(_("条目信息有误"), detail=problems)
    return out


def _record(
    user: User,
    item: Item,
    action: str,
    *,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    project: Project | None = None,
) -> Decision:
    return Decision.objects.create(
        item=item,
        owner_id=item.owner_id,
        actor=user,
        action=action,
        reason=reason,
        before=before or {},
        after=after or {},
        project=project,
    )


@transaction.atomic
def edit_item(user: User, item: Item, data: dict[str, Any], reason: str = "") -> Item:
    """Change the item's fields (a pending one); the change is recorded and matches refreshed."""
    _writable(user, item)
    item = Item.objects.select_for_update().get(pk=item.pk)
    _pending(item)
    merged = {**item.data, **data}
    cleaned = clean_data(merged)
    before = dict(item.data)
    after = {**item.data, **cleaned}
    changed = {k: after[k] for k in after if before.get(k) != after.get(k)}
    if not changed:
        return item
    item.data = after
    item.name = cleaned["name"]
    item.save(update_fields=["data", "name", "updated_at"])
    _record(
        user,
        item,
        DecisionAction.EDIT,
        reason=reason,
        before={k: before.get(k) for k in changed},
        after=changed,
    )
    return dedupe.refresh(item)


def quotes(item: Item) -> list[str]:
    """The sentences the item was read from, in the article's original words."""
    original = item.document.original
    found: list[str] = []
    ranges = [
        tuple(where["sentence"])
        for where in item.spans.values()
        if isinstance(where, dict)
        if "sentence" in where
    ]
    ranges += [tuple(r) for r in item.spans.get("evidence", [])]
    for start, end in sorted(set(ranges)):
        text = original[start:end].strip()
        if text and text not in found:
            found.append(text)
    return found or [item.name]


def _cite(project: Project, item: Item) -> None:
    document = item.document
    cite(
        project,
        [
            {
                "file": (document.title or document.source_name)[:255],
                "quote": q,
                "url": document.url,
            }
            for q in quotes(item)
        ],
    )


def _region(data: dict[str, Any], park: Park | None) -> Region | None:
    if data.get("adcode"):
        return Region.objects.filter(adcode=data["adcode"]).first()
    if park is not None:
        return park.region
    if data.get("place"):
        return resolve_region(data["place"])
    return None


def _figure(data: dict[str, Any]) -> dict[str, Any]:
    """The project fields the item's investment figure fills (none for other kinds)."""
    target = AMOUNT_TARGET.get(data.get("kind") or "total_investment")
    if not data.get("amount") or target is None:
        return {}
    return {
        target: Decimal(data["amount"]),
        f"{target}_qualifier": data.get("qualifier") or "exact",
    }


def _stage_date(item: Item, data: dict[str, Any]) -> date:
    if data.get("stage_date"):
        return date.fromisoformat(data["stage_date"])
    return item.document.published or timezone.localdate()


@transaction.atomic
def accept(
    user: User,
    item: Item,
    *,
    data: dict[str, Any] | None = None,
    project_id: int | None = None,
    new: bool = False,
    reason: str = "",
) -> Project:
    """Accept the item: update `project_id` (or the item's match) unless `new`, else create a
    lead owned by the reviewer's organisation; either way the article is cited."""
    _writable(user, item)
    if data:
        item = edit_item(user, item, data)
    item = Item.objects.select_for_update().select_related("document").get(pk=item.pk)
    _pending(item)
    fields = clean_data(item.data)
    target_id = None if new else (project_id or item.match_id)
    if target_id is not None:
        project = get_visible_project(user, target_id)
        return _update(user, item, project, fields, reason)
    return _create(user, item, fields, reason)


def _create(user: User, item: Item, data: dict[str, Any], reason: str) -> Project:
    park = Park.objects.filter(pk=data["park_id"]).first() if data.get("park_id") else None
    region = _region(data, park)
    if region is None:
        raise Invalid.on("adcode", _("请填写落地行政区(行政区划代码)或园区"))
    investor = (
        Enterprise.objects.filter(pk=data["enterprise_id"]).first()
        if data.get("enterprise_id")
        else dedupe.find_enterprise(data.get("enterprise") or "")
    )
    document = item.document
    remark = _("招商情报:《%(title)s》") % {"title": document.title}
    if data.get("enterprise") and investor is None:
        remark += _(";文中投资企业:%(name)s(未在企业库中)") % {"name": data["enterprise"]}
    if data.get("foreign_amount"):
        remark += _(";文中金额:%(value)s %(currency)s(未换算)") % {
            "value": data["foreign_amount"],
            "currency": data.get("currency") or "",
        }
    project = project_services.create_project(
        user,
        owner_id=item.owner_id,
        stage=data["stage"],
        stage_date=_stage_date(item, data),
        note=remark[:200],
        name=data["name"],
        park=park,
        region=region,
        investor=investor,
        sector=data.get("sector") or "",
        lead_source=LeadSource.NEWS,
        lead_source_detail=document.title[:255],
        remarks=remark,
        **_figure(data),
    )
    _cite(project, item)
    _close(item, ItemStatus.ACCEPTED, project)
    _record(
        user,
        item,
        DecisionAction.ACCEPT,
        reason=reason,
        after={"project": project.pk, **data},
        project=project,
    )
    return project


def _steps(current: str, target: str) -> list[str]:
    """The stages from `current` to a later `target`, each a move the lifecycle allows; none
    when the target is not later (an article never moves a project back) or not reachable."""
    order = [s.value for s in lifecycle.PIPELINE]
    if target not in order or current not in order:
        return []
    at, goal = order.index(current), order.index(target)
    if goal <= at:
        return []
    steps: list[str] = []
    while at < goal:
        # the furthest stage towards the goal the lifecycle allows in one move
        for ahead in range(goal, at, -1):
            if lifecycle.refusal(order[at], order[ahead], None) is None:
                steps.append(order[ahead])
                at = ahead
                break
        else:
            return []
    return steps


def _update(user: User, item: Item, project: Project, data: dict[str, Any], reason: str) -> Project:
    """Advance the project's stage when the article reports a later one; add its figure when
    the project has none; cite the article."""
    before = {
        "stage": project.stage,
        "total_investment": str(project.total_investment or ""),
        "phase_investment": str(project.phase_investment or ""),
    }
    after: dict[str, Any] = {}
    target = data.get("stage") or ""
    steps = _steps(project.stage, target)
    if steps:
        when = max(_stage_date(item, data), project.stage_since)
        note = _("据招商情报《%(title)s》") % {"title": item.document.title}
        for step in steps:  # one legal step after another, all on the article's date
            project_services.transition(user, project, step, on=when, note=note)
        project.refresh_from_db()
        after["stage"] = project.stage
    figure = {k: v for k, v in _figure(data).items() if not k.endswith("_qualifier")}
    if figure:
        name = next(iter(figure))
        if getattr(project, name) is None:
            project_services.update_project(user, project, **_figure(data))
            after[name] = str(figure[name])
        elif Decimal(getattr(project, name)) != figure[name]:
            after["figure_not_applied"] = {name: str(figure[name])}
    _cite(project, item)
    _close(item, ItemStatus.ACCEPTED, project)
    _record(
        user,
        item,
        DecisionAction.UPDATE,
        reason=reason,
        before=before,
        after={"project": project.pk, **after},
        project=project,
    )
    return project


def _close(item: Item, status: str, project: Project | None, into: Item | None = None) -> None:
    item.status = status
    item.project = project
    item.merged_into = into
    item.decided_at = timezone.now()
    item.save(update_fields=["status", "project", "merged_into", "decided_at", "updated_at"])


@transaction.atomic
def merge(
    user: User,
    item: Item,
    *,
    into_item_id: int | None = None,
    into_project_id: int | None = None,
    reason: str = "",
) -> Item:
    """The item is the same project as another item or a library project: it is closed as
    merged; a project (or the other item's accepted project) gets the article as a source."""
    _writable(user, item)
    item = Item.objects.select_for_update().select_related("document").get(pk=item.pk)
    _pending(item)
    if (into_item_id is None) == (into_project_id is None):
        raise Invalid.on("into", _("请指定要合并到的条目或项目(二选一)"))
    project: Project | None = None
    into: Item | None = None
    if into_item_id is not None:
        into = Item.objects.filter(pk=into_item_id, owner_id=item.owner_id).first()
        if into is None:
            raise NotFound(_("情报条目不存在或无权查看。"), detail={"item": into_item_id})
        if into.pk == item.pk:
            raise Invalid.on("into", _("不能合并到自身"))
        while into.merged_into_id is not None and into.status == ItemStatus.MERGED:
            into = Item.objects.get(pk=into.merged_into_id)
        project = into.project
    else:
        project = get_visible_project(user, into_project_id or 0)
        ensure_can_write(user, project.owner_id)
    if project is not None:
        _cite(project, item)
    _close(item, ItemStatus.MERGED, project, into)
    _record(
        user,
        item,
        DecisionAction.MERGE,
        reason=reason,
        after={"item": into.pk if into else None, "project": project.pk if project else None},
        project=project,
    )
    return item


@transaction.atomic
def reject(user: User, item: Item, reason: str) -> Item:
    """Not a project to follow (a template, a sidebar, another place); a reason is required."""
    _writable(user, item)
    item = Item.objects.select_for_update().get(pk=item.pk)
    _pending(item)
    if not (reason or "").strip():
        raise Invalid.on("reason", _("驳回时必须说明理由"))
    _close(item, ItemStatus.REJECTED, None)
    _record(user, item, DecisionAction.REJECT, reason=reason.strip())
    return item
