"""Attachments API under /api/v1/attachments/: list, upload, read, download, delete.

A record is named by its model label (`projects.project`) and id. Every route reads through
the registry's visibility of that record: an attachment of a record the user may not see is a
404, the same as a missing one; adding or removing files needs the record's `can_change`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, BinaryIO, cast

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from parklink.accounts.apitools import current_user
from parklink.attachments import services, views
from parklink.attachments.models import Attachment, Kind

router = Router(tags=["attachments"])

LABEL = r"^[a-z_]{1,50}\.[a-z_]{1,50}$"


class AttachmentOut(Schema):
    id: int
    record: str
    record_id: int
    original_name: str
    size: int
    file_type: str
    content_type: str
    sha256: str
    kind: Kind
    description: str
    uploaded_by: str | None
    uploaded_at: datetime
    download_url: str

    @staticmethod
    def resolve_record(obj: Attachment) -> str:
        return obj.record_label

    @staticmethod
    def resolve_content_type(obj: Attachment) -> str:
        return obj.mime

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str | None:
        return obj.uploaded_by.username if obj.uploaded_by else None

    @staticmethod
    def resolve_download_url(obj: Attachment) -> str:
        return reverse("api-v1:attachment_download", args=[obj.pk])


class AttachmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AttachmentOut]


class ListQuery(Schema):
    record: str | None = Field(None, pattern=LABEL, description="a model label: projects.project")
    record_id: int | None = Field(None, ge=1, le=2**62)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class UploadIn(Schema):
    record: str = Field(pattern=LABEL, description="a model label: projects.project")
    record_id: int = Field(ge=1, le=2**62)
    kind: Kind = Kind.OTHER
    description: str = Field("", max_length=500)


@router.get("/", response=AttachmentPage, summary="List the attachments the user may see")
def list_attachments(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    user = current_user(request)
    if query.record is not None and query.record_id is not None:
        qs = services.attachments_of([services.target(user, query.record, query.record_id)])
    else:
        qs = services.visible_attachments(user).select_related("uploaded_by", "record_type")
        if query.record is not None:
            entry = services.attachable(query.record)
            qs = qs.filter(record_type=services.record_type(entry.model))
    qs = qs.order_by("-uploaded_at", "-id")
    items = list(qs[query.offset : query.offset + query.limit])
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.post("/", response={201: AttachmentOut}, summary="Attach a file to a record")
def upload_attachment(
    request: HttpRequest, payload: Form[UploadIn], file: File[UploadedFile]
) -> Status:
    user = current_user(request)
    found = services.target(user, payload.record, payload.record_id)
    made = services.upload(
        user,
        found,
        cast(BinaryIO, file),
        name=file.name or "",
        kind=payload.kind,
        description=payload.description,
    )
    return Status(201, services.get_visible(user, made.pk))


@router.get("/{int:attachment_id}", response=AttachmentOut, summary="One attachment")
def get_attachment(request: HttpRequest, attachment_id: int) -> Attachment:
    return services.get_visible(current_user(request), attachment_id)


@router.get(
    "/{int:attachment_id}/download",
    url_name="attachment_download",
    summary="The file (always as a download)",
    response={200: None},
)
def download_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    return views.serve(services.get_visible(current_user(request), attachment_id))


@router.delete("/{int:attachment_id}", response={204: None}, summary="Remove an attachment")
def delete_attachment(request: HttpRequest, attachment_id: int) -> Status:
    user = current_user(request)
    services.delete(user, services.get_visible(user, attachment_id))
    return Status(204, None)
