"""Surveys: define, send to a set of enterprises, collect answers, compute rates, track 诉求.

An officer of the owning organisation defines a survey and chooses its recipients (a park's
key enterprises and key projects, every 规上 enterprise of the organisation's region, or
enterprises picked by hand). Answers come from officers, or from the enterprise itself
through a one-time link: a signed token naming the recipient and a nonce, valid until the
survey closes, refused once used, once replaced by a newer link, or when forged. The rates
are computed by the pure `engine.surveys`; every problem an answer names becomes a 诉求
with the survey's creator as owner and a deadline.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid, NotFound, ParkLinkError
from parklink.core.registry import DueItem
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.kpi.engine import periods
from parklink.kpi.engine import surveys as engine
from parklink.kpi.models import (
    Audience,
    HelpRequest,
    HelpStatus,
    Survey,
    SurveyKind,
    SurveyRecipient,
)
from parklink.kpi.queries import visible_help_requests, visible_surveys
from parklink.parks.models import Park
from parklink.projects.queries import today, visible_projects

QUESTIONS = Path(__file__).resolve().parent.parent.parent / "data" / "kpi" / "surveys"
LINK_SALT = "parklink.kpi.survey-link"
KEY_TAGS = ("key", "provincial_major")
TITLE_MAX = 200  # Survey.title


def default_questions(kind: str = SurveyKind.RESUMPTION) -> list[dict[str, Any]]:
    """The shipped questions of a kind of survey (data/kpi/surveys/<kind>.yaml)."""
    path = QUESTIONS / f"{kind}.yaml"
    if not path.exists():
        path = QUESTIONS / "resumption.yaml"
    data: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def questions_of(survey: Survey) -> list[engine.Question]:
    return engine.read_questions(survey.questions)


def _survey_error(exc: engine.SurveyError) -> Invalid:
    messages = exc.messages(get_language() or "zh")
    first = next(iter(messages.values()))
    return Invalid(
        _("有%(n)d处问题:%(first)s") % {"n": len(exc.problems), "first": first},
        detail=messages,
    )


def parse_questions(data: Any) -> list[dict[str, Any]]:
    """Questions given as YAML text or as data, checked; Invalid lists every problem."""
    if isinstance(data, str):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise Invalid.on(
                "questions", _("问题的 YAML 格式错误:%(reason)s") % {"reason": exc}
            ) from exc
    try:
        engine.read_questions(data)
    except engine.SurveyError as exc:
        error = _survey_error(exc)
        raise Invalid(error.message, detail={"questions": list(error.detail.values())}) from exc
    return [dict(item) for item in data]


def get_survey(user: User, pk: int) -> Survey:
    found = visible_surveys(user).select_related("owner", "park").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("调查不存在或无权查看。"))
    return found


def create_survey(
    user: User,
    *,
    title: str,
    period: str,
    closes_on: date,
    kind: str = SurveyKind.RESUMPTION,
    questions: Any = None,
    park: Park | None = None,
    help_due_days: int = 7,
    illustrative: bool = False,
    source_note: str = "",
) -> Survey:
    if user.organization_id is None:
        raise Invalid.on("owner", _("用户未关联任何机构,不能发起调查。"))
    ensure_can_write(user, user.organization_id)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("请填写调查名称")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("调查名称不能超过200个字")
    try:
        parsed = periods.parse(period)
    except ValueError:
        errors["period"] = _("调查期格式应为 2025、2025Q1 或 2025-03")
        parsed = None
    if kind not in SurveyKind.values:
        errors["kind"] = _("未知的调查类型")
    if not 1 <= help_due_days <= 365:
        errors["help_due_days"] = _("诉求办理时限应在1到365天之间")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)
    assert parsed is not None
    checked = parse_questions(questions if questions is not None else default_questions(kind))
    return Survey.objects.create(
        owner_id=user.organization_id,
        title=title,
        kind=kind,
        period=parsed.label,
        period_start=parsed.start,
        period_end=parsed.end,
        closes_on=closes_on,
        questions=checked,
        park=park,
        help_due_days=help_due_days,
        created_by=user,
        illustrative=illustrative,
        source_note=source_note,
    )


@transaction.atomic
def update_survey(
    user: User,
    survey: Survey,
    *,
    title: str | None = None,
    closes_on: date | None = None,
    help_due_days: int | None = None,
    questions: Any = None,
) -> Survey:
    """Change a survey's title, closing day, 诉求 deadline or questions (what is given).

    The questions change only while nobody has answered: the answers were given to the
    questions as they stood, and the rates read them by the questions' keys.
    """
    ensure_can_write(user, survey.owner_id)
    errors: dict[str, str] = {}
    if title is not None and not title.strip():
        errors["title"] = _("请填写调查名称")
    elif title is not None and len(title.strip()) > TITLE_MAX:
        errors["title"] = _("调查名称不能超过200个字")
    if help_due_days is not None and not 1 <= help_due_days <= 365:
        errors["help_due_days"] = _("诉求办理时限应在1到365天之间")
    if questions is not None and survey.recipients.exclude(answered_at=None).exists():
        errors["questions"] = _("已有调查对象填报,问题不能再修改")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)
    checked = parse_questions(questions) if questions is not None else None
    if title is not None:
        survey.title = title.strip()
    if closes_on is not None:
        survey.closes_on = closes_on
    if help_due_days is not None:
        survey.help_due_days = help_due_days
    if checked is not None:
        survey.questions = checked
    survey.save()
    return survey


# --------------------------------------------------------------------------- recipients


@dataclass(frozen=True)
class Candidate:
    enterprise: Enterprise
    project_id: int | None
    key_project: bool


def _park_family(park: Park) -> list[int]:
    ids = [park.pk]
    frontier = [park.pk]
    while frontier:
        frontier = list(Park.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


KEY_ENTERPRISE = (
    Q(is_above_scale=True)
    | Q(is_chain_leader=True)
    | Q(is_listed=True)
    | Q(is_high_tech=True)
    | Q(is_specialised_sme=True)
)


def candidates(
    user: User,
    survey: Survey,
    audience: str,
    park: Park | None = None,
    picked: Iterable[int] = (),
) -> list[Candidate]:
    """The enterprises an audience names, with the key project each one invests in.

    - park_key: enterprises sited in the park (or its sub-parks) that are 规上, 链主, listed,
      high-tech or 专精特新, and the investors of the park's signed key projects (重点项目,
      省级重大产业项目) the user may see;
    - above_scale: every 规上 enterprise of the survey owner's region;
    - picked: the enterprises named by id.
    """
    key_projects: dict[int, int] = {}
    if audience == Audience.PARK_KEY:
        if park is None:
            raise Invalid.on("park", _("请选择园区"))
        family = _park_family(park)
        sited = EnterpriseSite.objects.filter(park_id__in=family).values("enterprise_id")
        projects = (
            visible_projects(user)
            .filter(park_id__in=family, signed_on__isnull=False, investor__isnull=False)
            .filter(tags__code__in=KEY_TAGS)
            .exclude(stage="terminated")
            .order_by("signed_on", "pk")
            .values_list("investor_id", "pk")
        )
        for investor, project in projects:
            key_projects.setdefault(investor, project)
        qs = Enterprise.objects.filter(
            (Q(pk__in=sited) & KEY_ENTERPRISE) | Q(pk__in=list(key_projects))
        )
    elif audience == Audience.ABOVE_SCALE:
        qs = Enterprise.objects.filter(is_above_scale=True).filter(_in_region(survey))
    elif audience == Audience.PICKED:
        ids = [int(pk) for pk in picked]
        if not ids:
            raise Invalid.on("enterprises", _("请至少选择一家企业"))
        qs = Enterprise.objects.filter(pk__in=ids)
        if qs.count() != len(set(ids)):
            raise Invalid.on("enterprises", _("所选企业中有不存在的企业"))
    else:
        raise Invalid.on("audience", _("未知的调查对象范围"))
    return [
        Candidate(e, key_projects.get(e.pk), e.pk in key_projects)
        for e in qs.order_by("name", "pk")
    ]


def _in_region(survey: Survey) -> Q:
    path = survey.owner.region.path
    return Q(region__path=path) | Q(region__path__startswith=path + "/")


def add_recipients(
    user: User,
    survey: Survey,
    audience: str,
    park: Park | None = None,
    picked: Iterable[int] = (),
) -> int:
    """Add an audience's enterprises to the survey (those already in it are kept); how many."""
    ensure_can_write(user, survey.owner_id)
    found = candidates(user, survey, audience, park, picked)
    have = set(survey.recipients.exclude(enterprise=None).values_list("enterprise_id", flat=True))
    new = [
        SurveyRecipient(
            survey=survey,
            enterprise=c.enterprise,
            project_id=c.project_id,
            name=c.enterprise.name,
            above_scale=c.enterprise.is_above_scale,
            key_project=c.key_project,
        )
        for c in found
        if c.enterprise.pk not in have
    ]
    SurveyRecipient.objects.bulk_create(new)
    return len(new)


def remove_recipient(user: User, recipient: SurveyRecipient) -> None:
    ensure_can_write(user, recipient.survey.owner_id)
    if recipient.answered_at is not None:
        raise Invalid.on("recipient", _("已填报的调查对象不能移除"))
    recipient.delete()


def get_recipient(user: User, survey: Survey, pk: int) -> SurveyRecipient:
    found = survey.recipients.select_related("enterprise", "project").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("调查对象不存在。"))
    return found


# --------------------------------------------------------------------------- one-time links


class LinkRefused(ParkLinkError):
    """A one-time link that cannot be used: forged, expired, used or replaced."""

    status = 410
    code = "link_refused"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, detail={"reason": reason})
        self.reason = reason


def _closing(survey: Survey) -> datetime:
    return timezone.make_aware(datetime.combine(survey.closes_on, time.max))


def issue_link(user: User, recipient: SurveyRecipient, days: int | None = None) -> str:
    """A new one-time link token for the recipient; any earlier link stops working.

    It is valid until the survey closes (end of its closing day), or for `days` if sooner.
    """
    survey = recipient.survey
    ensure_can_write(user, survey.owner_id)
    if recipient.answered_at is not None and recipient.answered_via_link:
        raise Invalid.on("recipient", _("该企业已通过链接填报"))
    expires = _closing(survey)
    if days is not None:
        expires = min(expires, timezone.now() + timedelta(days=days))
    if expires <= timezone.now():
        raise Invalid.on("closes_on", _("调查已截止,不能再发放填报链接"))
    recipient.link_nonce = secrets.token_hex(8)
    recipient.link_expires_at = expires
    recipient.link_used_at = None
    recipient.save(update_fields=["link_nonce", "link_expires_at", "link_used_at"])
    return signing.dumps(
        {"r": recipient.pk, "n": recipient.link_nonce, "e": int(expires.timestamp())},
        salt=LINK_SALT,
    )


def link_url(token: str) -> str:
    return reverse("kpi:survey_link", args=[token])


def read_link(token: str, *, for_update: bool = False) -> SurveyRecipient:
    """The recipient a link is for, or LinkRefused saying why it cannot be used."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        pk, nonce, expires = int(data["r"]), str(data["n"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("forged", _("链接无效,请向发起调查的机构索取新的链接。")) from None
    qs = SurveyRecipient.objects.select_related("survey", "survey__owner")
    if for_update:
        qs = qs.select_for_update()
    recipient = qs.filter(pk=pk).first()
    if recipient is None or not nonce or recipient.link_nonce != nonce:
        raise LinkRefused("replaced", _("此链接已失效(已发放新的链接或已撤回)。"))
    if recipient.link_used_at is not None:
        raise LinkRefused("used", _("此链接已使用,每个链接只能填报一次。"))
    now = timezone.now()
    ends = recipient.link_expires_at
    if ends is None or now > ends or now.timestamp() > expires:
        raise LinkRefused("expired", _("此链接已过期。"))
    return recipient


# --------------------------------------------------------------------------- answers


def _save_answer(
    recipient: SurveyRecipient,
    raw: Mapping[str, Any],
    by: User | None,
    via_link: bool,
) -> SurveyRecipient:
    try:
        answer = engine.read_answer(questions_of(recipient.survey), raw)
    except engine.SurveyError as exc:
        raise _survey_error(exc) from exc
    recipient.answers = answer.values
    recipient.status = answer.status
    recipient.capacity = answer.capacity
    recipient.on_duty = answer.on_duty
    recipient.usual = answer.usual
    recipient.orders = answer.orders
    recipient.answered_at = timezone.now()
    recipient.answered_by = by
    recipient.answered_via_link = via_link
    recipient.save()
    survey = recipient.survey
    have = {(h.category, h.text) for h in recipient.help_requests.all()}
    due = today() + timedelta(days=survey.help_due_days)
    HelpRequest.objects.bulk_create(
        HelpRequest(
            owner_id=survey.owner_id,
            survey=survey,
            recipient=recipient,
            category=p["category"],
            text=p["text"],
            assignee_id=survey.created_by_id,
            due_on=due,
            illustrative=recipient.illustrative,
        )
        for p in answer.problems
        if (p["category"], p["text"]) not in have
    )
    return recipient


@transaction.atomic
def answer_by_officer(
    user: User, recipient: SurveyRecipient, raw: Mapping[str, Any]
) -> SurveyRecipient:
    """An officer of the owning organisation enters (or corrects) a recipient's answers."""
    ensure_can_write(user, recipient.survey.owner_id)
    return _save_answer(recipient, raw, user, via_link=False)


@transaction.atomic
def answer_by_link(token: str, raw: Mapping[str, Any]) -> SurveyRecipient:
    """The enterprise answers through its one-time link; the link is spent when it succeeds."""
    recipient = read_link(token, for_update=True)
    saved = _save_answer(recipient, raw, None, via_link=True)
    saved.link_used_at = timezone.now()
    saved.save(update_fields=["link_used_at"])
    return saved


def raw_from_form(questions: list[engine.Question], data: Any) -> dict[str, Any]:
    """A page's posted fields as the raw answers `engine.read_answer` reads."""
    raw: dict[str, Any] = {}
    for q in questions:
        if q.type == "workforce":
            raw[q.key] = {
                "on_duty": data.get(f"{q.key}_on_duty", ""),
                "usual": data.get(f"{q.key}_usual", ""),
            }
        elif q.type == "problems":
            cats = data.getlist(f"{q.key}_category") if hasattr(data, "getlist") else []
            texts = data.getlist(f"{q.key}_text") if hasattr(data, "getlist") else []
            raw[q.key] = [{"category": c, "text": t} for c, t in zip(cats, texts, strict=False)]
        else:
            raw[q.key] = data.get(q.key, "")
    return raw


# --------------------------------------------------------------------------- rates


def replies(survey: Survey) -> list[engine.Reply]:
    return [
        engine.Reply(
            id=r["pk"],
            name=r["name"],
            above_scale=r["above_scale"],
            key_project=r["key_project"],
            status=r["status"],
            capacity=r["capacity"],
            on_duty=r["on_duty"],
            usual=r["usual"],
        )
        for r in survey.recipients.values(
            "pk", "name", "above_scale", "key_project", "status", "capacity", "on_duty", "usual"
        )
    ]


def rates(survey: Survey) -> dict[tuple[str, str], engine.Rate]:
    return engine.rates(replies(survey))


def behind(
    survey: Survey, group: str, rate: str, side: str = "counted"
) -> QuerySet[SurveyRecipient]:
    """The recipients behind one rate: in its numerator (`counted`) or denominator (`base`)."""
    if group not in engine.GROUPS or rate not in engine.RATES or side not in ("counted", "base"):
        raise NotFound(_("未知的比率"))
    found = rates(survey)[(group, rate)]
    ids = found.counted if side == "counted" else found.base
    return survey.recipients.filter(pk__in=ids).order_by("name", "pk")


# --------------------------------------------------------------------------- 诉求


def get_help(user: User, pk: int) -> HelpRequest:
    found = (
        visible_help_requests(user)
        .select_related("recipient", "survey", "assignee", "owner")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("诉求不存在或无权查看。"))
    return found


def update_help(
    user: User,
    help_request: HelpRequest,
    *,
    assignee: User | None,
    due_on: date,
    status: str,
    resolution: str = "",
) -> HelpRequest:
    ensure_can_write(user, help_request.owner_id)
    errors: dict[str, str] = {}
    if assignee is not None and assignee.organization_id != help_request.owner_id:
        errors["assignee"] = _("责任人应为承办机构的用户")
    if status not in HelpStatus.values:
        errors["status"] = _("未知的状态")
    if status == HelpStatus.RESOLVED and not resolution.strip():
        errors["resolution"] = _("办结时请填写办理结果")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)
    help_request.assignee = assignee
    help_request.due_on = due_on
    help_request.status = status
    help_request.resolution = resolution.strip()
    help_request.resolved_on = today() if status == HelpStatus.RESOLVED else None
    help_request.save()
    return help_request


def overdue_help(day: date) -> Iterator[DueItem]:
    """Every 诉求 not resolved by its deadline (a reminder source)."""
    rows = (
        HelpRequest.objects.exclude(status=HelpStatus.RESOLVED)
        .filter(due_on__lt=day)
        .select_related("recipient")
        .order_by("due_on", "pk")
    )
    for h in rows.iterator():
        late = (day - h.due_on).days
        who = h.recipient.name if h.recipient else ""
        yield DueItem(
            kind="kpi-help-requests",
            key=str(h.pk),
            title=_("%(who)s的诉求:%(what)s") % {"who": who, "what": h.get_category_display()},
            reason=_("已超过办理时限%(days)d天") % {"days": late},
            url=reverse("kpi:help", args=[h.pk]),
            due=h.due_on,
            severity="danger",
            responsible=(h.assignee_id,) if h.assignee_id else (),
            organization_id=h.owner_id,
        )
