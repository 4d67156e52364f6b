"""Contacts of investing enterprises (客商联系人): the owner organisation's officers keep them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid
from parklink.engagements.models import Contact
from parklink.engagements.services.checks import optional_text, owner_for, required_text
from parklink.enterprises.models import Enterprise

FIELDS = ("name", "title", "phone", "wechat", "email", "notes")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": required_text(data, "name", _("姓名"), 64),
        "title": optional_text(data, "title", _("职务"), 64),
        "phone": optional_text(data, "phone", _("电话"), 32),
        "wechat": optional_text(data, "wechat", _("微信"), 64),
        "email": optional_text(data, "email", _("邮箱"), 254),
        "notes": optional_text(data, "notes", _("备注"), 5000),
    }
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise Invalid.on("email", _("邮箱格式不正确")) from None
    enterprise = data.get("enterprise")
    if isinstance(enterprise, int):
        enterprise = Enterprise.objects.filter(pk=enterprise).first()
    if not isinstance(enterprise, Enterprise):
        raise Invalid.on("enterprise", _("请选择联系人所在的企业(企业须已在企业库中)"))
    values["enterprise"] = enterprise
    return values


@transaction.atomic
def create_contact(user: User, data: dict[str, Any], owner_id: int | None = None) -> Contact:
    owner = owner_for(user, owner_id)
    values = _clean(data)
    contact = Contact(owner_id=owner, illustrative=bool(data.get("illustrative")), **values)
    contact.save()
    return contact


@transaction.atomic
def update_contact(user: User, contact: Contact, data: dict[str, Any]) -> Contact:
    ensure_can_write(user, contact.owner_id)
    merged = {name: getattr(contact, name) for name in FIELDS}
    merged["enterprise"] = contact.enterprise
    merged.update(data)
    for name, value in _clean(merged).items():
        setattr(contact, name, value)
    contact.save()
    return contact


@transaction.atomic
def delete_contact(user: User, contact: Contact) -> None:
    ensure_can_write(user, contact.owner_id)
    contact.delete()
