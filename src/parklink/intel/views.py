"""招商情报 pages: ingest (paste or upload), the review queue, an article, an item.

Views stay thin: the services do the work and raise; a refusal lands on its form field,
a hidden document or item is a 404 (core.views.ServiceErrors), like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import ParkLinkError
from parklink.core.forms import show_service_error
from parklink.core.models import Job
from parklink.core.views import authenticated, is_fragment, permitted
from parklink.intel import quality as scoring
from parklink.intel import queries, tasks
from parklink.intel.fields import highlight
from parklink.intel.forms import (
    ItemForm,
    MergeForm,
    PasteForm,
    QueueFilterForm,
    RejectForm,
    UploadForm,
)
from parklink.intel.models import DecisionAction, Document, Item, ItemStatus
from parklink.intel.quality import labels
from parklink.intel.services import accept, edit_item, ingest_text, merge, reject
from parklink.projects.amounts import format_qualified

PAGE_SIZE = 30
INVALID = 422


def with_counts(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Each document's items by status: the measured per-document figures."""
    return documents.annotate(
        n_items=Count("items"),
        n_pending=Count("items", filter=Q(items__status=ItemStatus.PENDING)),
        n_accepted=Count("items", filter=Q(items__status=ItemStatus.ACCEPTED)),
        n_merged=Count("items", filter=Q(items__status=ItemStatus.MERGED)),
        n_rejected=Count("items", filter=Q(items__status=ItemStatus.REJECTED)),
    )


def _can_review(user: User) -> bool:
    return permitted(ensure_can_write, user, user.organization_id)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The review queue: pending items first, filtered by status, keyword, article, kind."""
    user = authenticated(request)
    form = QueueFilterForm(request.GET or None)
    items = queries.visible_items(user).select_related("document", "match", "project")
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") if form.is_bound else ItemStatus.PENDING
    if status:
        items = items.filter(status=status)
    if data.get("q"):
        items = items.filter(Q(name__icontains=data["q"]) | Q(document__title__icontains=data["q"]))
    if data.get("document"):
        items = items.filter(document_id=data["document"])
    if data.get("suggestion") == "match":
        items = items.filter(match__isnull=False)
    elif data.get("suggestion") == "new":
        items = items.filter(match__isnull=True)
    counts = dict(
        queries.visible_items(user).order_by().values_list("status").annotate(n=Count("pk"))
    )
    page = Paginator(items.order_by("status", "-document__created_at", "position", "pk"), PAGE_SIZE)
    return render(
        request,
        "intel/queue.html",
        {
            "form": form,
            "page": page.get_page(request.GET.get("page")),
            "counts": [(s, label, counts.get(s, 0)) for s, label in ItemStatus.choices],
            "status": status or "",
            "can_review": _can_review(user),
        },
    )


@login_required
def ingest(request: HttpRequest) -> HttpResponse:
    """Paste an article, or upload files (a zip too) that a background job reads."""
    user = authenticated(request)
    paste = PasteForm(request.POST if "paste" in request.POST else None)
    upload = UploadForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    status = 200
    if request.method == "POST":
        status = INVALID
        ensure_can_write(user, user.organization_id)
        if paste.is_bound and paste.is_valid():
            try:
                outcome = ingest_text(
                    user,
                    paste.cleaned_data["text"],
                    title=paste.cleaned_data["title"],
                    url=paste.cleaned_data["url"],
                    published=paste.cleaned_data["published"],
                )
            except ParkLinkError as error:
                show_service_error(paste, error)
            else:
                if outcome.duplicate:
                    messages.warning(request, _("这篇文章已录入过(内容相同),未重复录入。"))
                else:
                    messages.success(
                        request,
                        _("已录入,识别出 %(count)d 个项目,待审核。") % {"count": outcome.items},
                    )
                return redirect("intel:document", outcome.document.pk)
        elif upload.is_bound and upload.is_valid():
            files = [(f.name or "", f.read()) for f in upload.cleaned_data["uploads"]]
            try:
                job = tasks.start_ingest(user, files)
            except ParkLinkError as error:
                show_service_error(upload, error)
            else:
                return redirect("intel:job", job.pk)
    return render(request, "intel/ingest.html", {"paste": paste, "upload": upload}, status=status)


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """An ingest job's progress, then each file's outcome; another user's job is a 404."""
    user = authenticated(request)
    found = Job.objects.filter(pk=pk, user=user, kind=tasks.KIND).first()
    if found is None:
        raise Http404(pk)
    template = "intel/_job.html" if is_fragment(request) else "intel/job.html"
    return render(request, template, {"job": found, "result": found.result or {}})


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    """The ingested articles with what was found in each and what the reviewers decided."""
    user = authenticated(request)
    rows = with_counts(queries.visible_documents(user).select_related("ingested_by"))
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE)
    totals = queries.visible_items(user).aggregate(
        n=Count("pk"),
        accepted=Count("pk", filter=Q(status=ItemStatus.ACCEPTED)),
        merged=Count("pk", filter=Q(status=ItemStatus.MERGED)),
        rejected=Count("pk", filter=Q(status=ItemStatus.REJECTED)),
    )
    decided = totals["accepted"] + totals["merged"] + totals["rejected"]
    kept = totals["accepted"] + totals["merged"]
    return render(
        request,
        "intel/documents.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "totals": totals,
            "kept_rate": round(100 * kept / decided) if decided else None,
        },
    )


def _article(document: Document, items: list[Item]) -> list[tuple[str, bool]]:
    ranges: list[tuple[int, int]] = []
    for item in items:
        for where in item.spans.values():
            if isinstance(where, dict) and "sentence" in where:
                ranges.append(tuple(where["sentence"]))
    return highlight(document.original, ranges)


def _totals(document: Document) -> list[dict[str, Any]]:
    out = []
    for total in document.totals or []:
        amount = total.get("amount") or {}
        shown = ""
        if amount.get("yuan"):
            shown = format_qualified(amount["yuan"], amount.get("qualifier"))
        out.append({**total, "shown": shown or (amount.get("text") or "")})
    return out


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    found = with_counts(queries.visible_documents(user)).filter(pk=pk).first()
    if found is None:
        queries.get_document(user, pk)  # raises NotFound
        raise Http404(pk)
    items = list(found.items.select_related("match", "project").order_by("position", "pk"))
    return render(
        request,
        "intel/document.html",
        {
            "document": found,
            "items": items,
            "article": _article(found, items),
            "totals": _totals(found),
        },
    )


def _item_context(user: User, item: Item, **forms: Any) -> dict[str, Any]:
    ranges: list[tuple[int, int]] = []
    labelled: list[tuple[str, str]] = []
    for field, where in item.spans.items():
        if isinstance(where, dict) and "sentence" in where:
            ranges.append(tuple(where["sentence"]))
        if isinstance(where, dict) and "start" in where:
            labelled.append((field, item.document.original[where["start"] : where["end"]]))
    for start, end in item.spans.get("evidence", []):
        ranges.append((start, end))
    amount = item.data.get("amount")
    return {
        "item": item,
        "document": item.document,
        "article": highlight(item.document.original, ranges),
        "found": labelled,
        "amount_shown": format_qualified(amount, item.data.get("qualifier")) if amount else "",
        "decisions": item.decisions.select_related("actor", "project").order_by("at", "pk"),
        "can_review": _can_review(user) and item.status == ItemStatus.PENDING,
        "form": forms.get("form") or ItemForm(initial=ItemForm.initial_from(item.data)),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
    }


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    found = queries.get_item(user, pk)
    return render(request, "intel/item.html", _item_context(user, found))


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the fields, then: nothing more (save), accept (new or update), merge or reject."""
    user = authenticated(request)
    found = queries.get_item(user, pk)
    action = request.POST.get("action", "save")
    if action == "reject":
        reject_form = RejectForm(request.POST)
        if reject_form.is_valid():
            try:
                reject(user, found, reject_form.cleaned_data["reason"])
            except ParkLinkError as error:
                show_service_error(reject_form, error)
            else:
                messages.success(request, _("已驳回。"))
                return redirect(_next_pending(user, found))
        context = _item_context(user, found, reject_form=reject_form)
        return render(request, "intel/item.html", context, status=INVALID)
    if action == "merge":
        merge_form = MergeForm(request.POST)
        if merge_form.is_valid():
            data = merge_form.cleaned_data
            try:
                merge(
                    user,
                    found,
                    into_item_id=data["into_item"],
                    into_project_id=data["into_project"],
                    reason=data["reason"],
                )
            except ParkLinkError as error:
                show_service_error(merge_form, error, {"into": "into_item", "item": "into_item"})
            else:
                messages.success(request, _("已合并。"))
                return redirect(_next_pending(user, found))
        context = _item_context(user, found, merge_form=merge_form)
        return render(request, "intel/item.html", context, status=INVALID)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            found = edit_item(user, found, form.item_data(), form.cleaned_data["reason"])
            if action in ("accept", "accept_new", "accept_update"):
                project = accept(
                    user,
                    found,
                    new=action == "accept_new",
                    project_id=_int(request.POST.get("project")),
                )
                messages.success(
                    request,
                    _("已采纳:%(name)s") % {"name": project.name},
                )
                return redirect(_next_pending(user, found))
        except ParkLinkError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("intel:item", found.pk)
    context = _item_context(user, queries.get_item(user, pk), form=form)
    return render(request, "intel/item.html", context, status=INVALID)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _next_pending(user: User, done: Item) -> str:
    """The next pending item of the same article, else the queue."""
    from django.urls import reverse

    following = (
        queries.visible_items(user)
        .filter(document_id=done.document_id, status=ItemStatus.PENDING)
        .order_by("position", "pk")
        .first()
    )
    if following is not None:
        return reverse("intel:item", args=[following.pk])
    return reverse("intel:document", args=[done.document_id])


# Fields a reviewer may correct, in groups as the quality page shows them.
CORRECTABLE: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("name", _lazy("项目名称"), ("name",)),
    ("enterprise", _lazy("投资企业"), ("enterprise",)),
    (
        "amount",
        _lazy("投资额及口径"),
        ("amount", "qualifier", "kind", "currency", "foreign_amount"),
    ),
    ("place", _lazy("地点与园区"), ("place", "adcode", "park", "park_id")),
    ("stage", _lazy("阶段与日期"), ("stage", "stage_date")),
    ("sector", _lazy("产业领域"), ("sector",)),
)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@login_required
def quality(request: HttpRequest) -> HttpResponse:
    """How good the extraction is: measured on the reviews of the user's organisation (what
    reviewers kept, corrected and rejected) and on the labelled set shipped with the package."""
    user = authenticated(request)
    items = queries.visible_items(user)
    counts = items.aggregate(
        n=Count("pk"),
        pending=Count("pk", filter=Q(status=ItemStatus.PENDING)),
        accepted=Count("pk", filter=Q(status=ItemStatus.ACCEPTED)),
        merged=Count("pk", filter=Q(status=ItemStatus.MERGED)),
        rejected=Count("pk", filter=Q(status=ItemStatus.REJECTED)),
    )
    kept = counts["accepted"] + counts["merged"]
    decided = kept + counts["rejected"]
    corrected: dict[str, set[int]] = {key: set() for key, _, _ in CORRECTABLE}
    edits = queries.visible_decisions(user).filter(
        action=DecisionAction.EDIT,
        item__in=items.filter(status__in=[ItemStatus.ACCEPTED, ItemStatus.MERGED]),
    )
    for item_id, after in edits.values_list("item_id", "after"):
        for key, _label, names in CORRECTABLE:
            if any(name in (after or {}) for name in names):
                corrected[key].add(item_id)
    fields = [
        {
            "key": key,
            "label": label,
            "corrected": len(corrected[key]),
            "kept": kept - len(corrected[key]),
            "rate": _percent(kept - len(corrected[key]), kept),
        }
        for key, label, _ in CORRECTABLE
    ]
    score = shared_labelled_score()
    pp, pr, pf = score.projects()
    ap, ar, af = score.pairs()
    labelled = {
        "projects": [round(v, 3) for v in (pp, pr, pf)],
        "pairs": [round(v, 3) for v in (ap, ar, af)],
        "articles": len(_labelled_articles()),
        "gold": score.projects_gold,
        "pairs_gold": score.pairs_gold,
        "accuracy": [
            (key, label, round(score.accuracy(values), 3), len(values))
            for key, label, values in (
                ("enterprise", _("投资企业"), score.enterprise),
                ("place", _("地点"), score.place),
                ("stage", _("阶段"), score.stage),
                ("stage_date", _("阶段日期"), score.date),
            )
        ],
    }
    return render(
        request,
        "intel/quality.html",
        {
            "counts": counts,
            "decided": decided,
            "kept_rate": _percent(kept, decided),
            "fields": fields,
            "labelled": labelled,
        },
    )


def shared_labelled_score() -> scoring.Score:
    """The labelled set's score, computed once for every web process: kept in Django's cache
    (shared when CACHES is shared, e.g. Redis) under the version of the labelled files and the
    extractor, so a new release or a changed label computes it again."""
    key = f"intel:labelled-score:{scoring.labelled_version()}"
    score = cache.get(key)
    if not isinstance(score, scoring.Score):
        score = scoring.score_labelled()
        cache.set(key, score, timeout=None)
    return score


def _labelled_articles() -> list[str]:
    return [name for name in labels() if not name.startswith("seed:")]
