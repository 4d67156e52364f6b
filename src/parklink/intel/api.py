"""招商情报 API (/api/v1/intel/): documents, the review queue and its decisions.

Everything is the caller's organisation's: another organisation's document or item is a 404,
like a missing one; only its officers and admins ingest and decide.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from parklink.accounts.apitools import current_user, owner_id_for
from parklink.intel import queries
from parklink.intel.models import Decision, DecisionAction, Item
from parklink.intel.schemas import (
    AcceptIn,
    AcceptOut,
    DecisionPage,
    DocumentDetailOut,
    DocumentIn,
    DocumentPage,
    IngestOut,
    ItemOut,
    ItemPage,
    ItemPatch,
    ItemQuery,
    MergeIn,
    PageQuery,
    RejectIn,
)
from parklink.intel.services import accept, edit_item, ingest_text, merge, reject

router = Router(tags=["intel"])


@router.get("/documents/", response=DocumentPage, summary="The ingested articles")
def list_documents(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    qs = queries.visible_documents(current_user(request)).select_related("ingested_by")
    rows = list(qs.order_by("-created_at", "-pk")[page.offset : page.offset + page.limit])
    _attach_counts(rows)
    return {"count": qs.count(), "limit": page.limit, "offset": page.offset, "items": rows}


def _attach_counts(documents: list[Any]) -> None:
    """Each document's items by status, in one query for the page."""
    counts: dict[int, dict[str, int]] = {d.pk: {} for d in documents}
    rows = Item.objects.filter(document_id__in=list(counts)).values_list("document_id", "status")
    for document_id, status in rows:
        counts[document_id][status] = counts[document_id].get(status, 0) + 1
    for document in documents:
        document.status_counts = counts[document.pk]


@router.post(
    "/documents/",
    response={201: IngestOut, 200: IngestOut},
    summary="Ingest an article (200 and duplicate=true when already ingested)",
)
def create_document(request: HttpRequest, payload: DocumentIn) -> Status:
    user = current_user(request)
    owner_id = owner_id_for(user, payload.owner)
    outcome = ingest_text(
        user,
        payload.text,
        title=payload.title,
        url=payload.url,
        published=payload.published,
        source_name=payload.source_name,
        owner_id=owner_id,
    )
    body = {"document": outcome.document, "duplicate": outcome.duplicate, "items": outcome.items}
    return Status(200 if outcome.duplicate else 201, body)


@router.get("/documents/{document_id}", response=DocumentDetailOut, summary="One article")
def read_document(request: HttpRequest, document_id: int) -> Any:
    return queries.get_document(current_user(request), document_id)


@router.get("/items/", response=ItemPage, summary="The review queue")
def list_items(request: HttpRequest, filters: Query[ItemQuery]) -> dict[str, Any]:
    qs = queries.visible_items(current_user(request)).select_related("document")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.document:
        qs = qs.filter(document_id=filters.document)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(document__title__icontains=filters.q))
    rows = list(qs.order_by("-pk")[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "limit": filters.limit, "offset": filters.offset, "items": rows}


@router.get("/items/{item_id}", response=ItemOut, summary="One queued item")
def read_item(request: HttpRequest, item_id: int) -> Item:
    return queries.get_item(current_user(request), item_id)


@router.patch("/items/{item_id}", response=ItemOut, summary="Edit an item's fields")
def patch_item(request: HttpRequest, item_id: int, payload: ItemPatch) -> Item:
    user = current_user(request)
    item = queries.get_item(user, item_id)
    data = payload.model_dump(exclude_unset=True, exclude={"reason"})
    if "stage_date" in data:
        data["stage_date"] = data["stage_date"].isoformat() if data["stage_date"] else ""
    edit_item(user, item, data, payload.reason)
    return queries.get_item(user, item_id)


@router.post("/items/{item_id}/accept", response=AcceptOut, summary="Accept into the library")
def accept_item(request: HttpRequest, item_id: int, payload: AcceptIn) -> dict[str, Any]:
    user = current_user(request)
    item = queries.get_item(user, item_id)
    project = accept(user, item, new=payload.new, project_id=payload.project, reason=payload.reason)
    decided = Decision.objects.filter(item=item).order_by("-pk").first()
    action = decided.action if decided else DecisionAction.ACCEPT
    return {"item": queries.get_item(user, item_id), "project": project.pk, "action": action}


@router.post("/items/{item_id}/merge", response=ItemOut, summary="Merge into an item or project")
def merge_item(request: HttpRequest, item_id: int, payload: MergeIn) -> Item:
    user = current_user(request)
    item = queries.get_item(user, item_id)
    merge(
        user,
        item,
        into_item_id=payload.item,
        into_project_id=payload.project,
        reason=payload.reason,
    )
    return queries.get_item(user, item_id)


@router.post("/items/{item_id}/reject", response=ItemOut, summary="Reject with a reason")
def reject_item(request: HttpRequest, item_id: int, payload: RejectIn) -> Item:
    user = current_user(request)
    reject(user, queries.get_item(user, item_id), payload.reason)
    return queries.get_item(user, item_id)


@router.get("/decisions/", response=DecisionPage, summary="Every decision, newest first")
def list_decisions(
    request: HttpRequest, page: Query[PageQuery], item: int | None = None
) -> dict[str, Any]:
    qs = queries.visible_decisions(current_user(request)).select_related("actor")
    if item is not None:
        qs = qs.filter(item_id=item)
    rows = list(qs.order_by("-at", "-pk")[page.offset : page.offset + page.limit])
    return {"count": qs.count(), "limit": page.limit, "offset": page.offset, "items": rows}
