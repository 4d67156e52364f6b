"""The intel API's payloads (/api/v1/intel/)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from parklink.core.apitools import MAX_OFFSET, RecordId
from parklink.intel.models import Decision, Document, Item
from parklink.projects.amounts import format_qualified


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ItemQuery(PageQuery):
    status: Literal["pending", "accepted", "merged", "rejected"] | None = None
    document: RecordId | None = None
    q: str | None = Field(None, max_length=64)


class DocumentIn(Schema):
    """An article as text (a file's text too: the pages and the command read files)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2_000_000)
    title: str = Field("", max_length=300)
    url: str = Field("", max_length=1000)
    published: date | None = None
    source_name: str = Field("", max_length=255)
    owner: RecordId | None = Field(None, description="installation administrators only")


class DocumentOut(Schema):
    id: int
    title: str
    url: str
    published: date | None = None
    source_name: str
    owner: int
    ingested_by: str | None = None
    created_at: datetime
    projects_found: int
    counts: dict[str, int] = Field(description="items by status: pending, accepted, ...")
    totals: list[dict[str, Any]]

    @staticmethod
    def resolve_owner(obj: Document) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_ingested_by(obj: Document) -> str | None:
        return obj.ingested_by.username if obj.ingested_by else None

    @staticmethod
    def resolve_counts(obj: Document) -> dict[str, int]:
        found = getattr(obj, "status_counts", None)
        if found is None:
            found = {}
            for status in obj.items.values_list("status", flat=True):
                found[status] = found.get(status, 0) + 1
        return found


class DocumentDetailOut(DocumentOut):
    original: str
    text: str


class IngestOut(Schema):
    document: DocumentOut
    duplicate: bool = Field(description="the organisation had ingested this text already")
    items: int


class ItemOut(Schema):
    id: int
    document: int
    position: int
    name: str
    status: str
    data: dict[str, Any]
    amount_display: str = Field(description="超10亿元 / 约2亿元 / —")
    spans: dict[str, Any] = Field(description="offsets in the document's original text")
    evidence: list[str]
    suggestions: list[dict[str, Any]]
    match: int | None = Field(None, description="the library project this item would update")
    project: int | None = None
    merged_into: int | None = None
    decided_at: datetime | None = None

    @staticmethod
    def resolve_document(obj: Item) -> int:
        return obj.document_id

    @staticmethod
    def resolve_amount_display(obj: Item) -> str:
        amount = obj.data.get("amount")
        return format_qualified(amount, obj.data.get("qualifier")) if amount else "—"

    @staticmethod
    def resolve_evidence(obj: Item) -> list[str]:
        from parklink.intel.services.review import quotes

        return quotes(obj)

    @staticmethod
    def resolve_match(obj: Item) -> int | None:
        return obj.match_id

    @staticmethod
    def resolve_project(obj: Item) -> int | None:
        return obj.project_id

    @staticmethod
    def resolve_merged_into(obj: Item) -> int | None:
        return obj.merged_into_id


class DecisionOut(Schema):
    id: int
    item: int
    actor: str
    at: datetime
    action: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    project: int | None = None

    @staticmethod
    def resolve_item(obj: Decision) -> int:
        return obj.item_id

    @staticmethod
    def resolve_actor(obj: Decision) -> str:
        return obj.actor.username

    @staticmethod
    def resolve_project(obj: Decision) -> int | None:
        return obj.project_id


class ItemPatch(Schema):
    """Fields to change (amount in 元 as text or number; qualifier exact/at_least/about)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    enterprise: str | None = Field(None, max_length=128)
    amount: str | None = Field(None, max_length=24, description="元, e.g. 1000000000")
    qualifier: Literal["exact", "at_least", "about"] | None = None
    kind: str | None = Field(None, max_length=32)
    place: str | None = Field(None, max_length=100)
    adcode: str | None = Field(None, max_length=12)
    park: str | None = Field(None, max_length=128)
    park_id: RecordId | None = None
    enterprise_id: RecordId | None = None
    sector: str | None = Field(None, max_length=64)
    stage: str | None = Field(None, max_length=32)
    stage_date: date | None = None
    reason: str = Field("", max_length=500)


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    new: bool = Field(False, description="create a lead even when the item matches a project")
    project: RecordId | None = Field(None, description="update this project instead")
    reason: str = Field("", max_length=500)


class AcceptOut(Schema):
    item: ItemOut
    project: int
    action: str = Field(description="accept (a new lead) or update (an existing project)")


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item: RecordId | None = Field(None, description="the item this one duplicates")
    project: RecordId | None = Field(None, description="the library project it duplicates")
    reason: str = Field("", max_length=500)


class RejectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class Page(Schema):
    count: int
    limit: int
    offset: int


class DocumentPage(Page):
    items: list[DocumentOut]


class ItemPage(Page):
    items: list[ItemOut]


class DecisionPage(Page):
    items: list[DecisionOut]
