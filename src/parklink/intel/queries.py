"""Who sees the intelligence queue: the organisation that ingested the article, nobody else.

Documents, items and decisions belong to the reviewer's organisation; another organisation
(even the region above) neither sees nor changes them, and a hidden one is a 404 like a
missing one. Installation administrators see everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.errors import NotFound
from parklink.intel.models import Decision, Document, Item


def visibility_q(user: User) -> Q:
    if user.is_superuser:
        return Q()
    if user.organization_id is None:
        return Q(pk__in=[])
    return Q(owner_id=user.organization_id)


def visible_documents(user: User) -> QuerySet[Document]:
    return Document.objects.filter(visibility_q(user))


def visible_items(user: User) -> QuerySet[Item]:
    return Item.objects.filter(visibility_q(user))


def visible_decisions(user: User) -> QuerySet[Decision]:
    return Decision.objects.filter(visibility_q(user))


def get_document(user: User, pk: int) -> Document:
    document = visible_documents(user).filter(pk=pk).first()
    if document is None:
        raise NotFound(_("情报文章不存在或无权查看。"), detail={"document": pk})
    return document


def get_item(user: User, pk: int) -> Item:
    item = visible_items(user).select_related("document", "project", "match").filter(pk=pk).first()
    if item is None:
        raise NotFound(_("情报条目不存在或无权查看。"), detail={"item": pk})
    return item


SCOPES: dict[str, Callable[[User], QuerySet[Any]]] = {
    "intel.document": visible_documents,
    "intel.item": visible_items,
    "intel.decision": visible_decisions,
}
