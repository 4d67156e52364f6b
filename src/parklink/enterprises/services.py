"""Enterprise rules: valid USCC, no duplicates, writes only by the owner organisation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.columns import column_problems
from parklink.core.errors import Duplicate, Invalid
from parklink.core.text import normalise_name
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import BUSINESS_SCOPE_MAX_LENGTH, Enterprise, EnterpriseSite

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "uscc",
    "region",
    "industry_code",
    "description",
    "business_scope",
    "is_chain_leader",
    "is_listed",
    "is_high_tech",
    "is_above_scale",
    "is_specialised_sme",
    "registered_capital",
)


def uscc_message(found: uscc_rules.UsccProblem) -> str:
    """The USCC problem in the active language (the pure module carries both)."""
    language = get_language() or "zh-hans"
    return found.message_en if language.startswith("en") else found.message_zh


def find_duplicate(
    name: str, region_id: str | None, uscc: str | None, exclude_pk: int | None = None
) -> Enterprise | None:
    """An existing enterprise with the same USCC, or the same normalised name in the region."""
    condition = Q(normalized_name=normalise_name(name), region_id=region_id)
    if uscc:
        condition |= Q(uscc=uscc_rules.normalise(uscc))
    qs = Enterprise.objects.filter(condition)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("region").first()


def duplicate_message(existing: Enterprise, uscc: str | None) -> str:
    if uscc and existing.uscc == uscc_rules.normalise(uscc):
        return _("统一社会信用代码 %(uscc)s 已登记为“%(name)s”(编号 %(id)s)") % {
            "uscc": existing.uscc,
            "name": existing.name,
            "id": existing.pk,
        }
    return _("“%(region)s”已有同名企业“%(name)s”(编号 %(id)s)") % {
        "region": existing.region.name,
        "name": existing.name,
        "id": existing.pk,
    }


def scope_too_long(length: int) -> str:
    """The message for a 经营范围 longer than the column takes."""
    return _("经营范围最多 %(limit)d 个字(现有 %(length)d 个)") % {
        "limit": BUSINESS_SCOPE_MAX_LENGTH,
        "length": length,
    }


COLUMN_CHECKED = ("name", "short_name", "industry_code", "registered_capital")


def validate(values: dict[str, Any], exclude_pk: int | None = None) -> None:
    problems = column_problems(
        Enterprise, {key: values[key] for key in COLUMN_CHECKED if key in values}
    )
    scope = values.get("business_scope") or ""
    if len(scope) > BUSINESS_SCOPE_MAX_LENGTH:
        problems["business_scope"] = scope_too_long(len(scope))
    name = (values.get("name") or "").strip()
    if not name:
        problems["name"] = _("企业名称不能为空")
    code = values.get("uscc")
    if code:
        found = uscc_rules.problem(code)
        if found:
            problems["uscc"] = uscc_message(found)
    if not values.get("region_id") and not values.get("region"):
        problems["region"] = _("请填写注册地行政区")
    capital = values.get("registered_capital")
    if "registered_capital" not in problems and capital is not None and capital < 0:
        problems["registered_capital"] = _("注册资本不能为负数")
    if problems:
        raise Invalid(_("企业信息有误"), detail=problems)
    region_id = values.get("region_id") or getattr(values.get("region"), "pk", None)
    existing = find_duplicate(name, region_id, code, exclude_pk)
    if existing:
        raise Duplicate(
            duplicate_message(existing, code),
            detail={"existing_id": existing.pk, "existing_name": existing.name},
        )


@transaction.atomic
def create_enterprise(
    user: User,
    *,
    owner_id: int | None = None,
    sites: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Enterprise:
    owner_id = owner_id or user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:  # an installation admin without an organisation must name one
        raise Invalid(_("请指定所属机构"), detail={"owner": _("请指定所属机构")})
    validate(fields)
    _check_sites(sites or [])
    enterprise = Enterprise.objects.create(owner_id=owner_id, **fields)
    for site in sites or []:
        EnterpriseSite.objects.create(enterprise=enterprise, **site)
    return enterprise


def _check_sites(sites: list[dict[str, Any]]) -> None:
    """Refuse sites whose text would not fit the table (the API does not bound it)."""
    for site in sites:
        problems = column_problems(EnterpriseSite, {"address": site.get("address")})
        if problems:
            raise Invalid(_("企业基地有误"), detail={"sites": problems["address"]})


@transaction.atomic
def set_sites(user: User, enterprise: Enterprise, sites: list[dict[str, Any]]) -> None:
    """Replace the enterprise's sites (HQ, R&D, manufacturing…) with `sites`."""
    ensure_can_write(user, enterprise.owner_id)
    _check_sites(sites)
    enterprise.sites.all().delete()
    EnterpriseSite.objects.bulk_create(EnterpriseSite(enterprise=enterprise, **s) for s in sites)


@transaction.atomic
def update_enterprise(
    user: User, enterprise: Enterprise, sites: list[dict[str, Any]] | None = None, **fields: Any
) -> Enterprise:
    """Change the given fields; `sites`, when given, replaces every site."""
    ensure_can_write(user, enterprise.owner_id)
    if sites is not None:
        set_sites(user, enterprise, sites)
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"region_id"}
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(enterprise, name, value)
    validate(
        {
            "name": enterprise.name,
            "short_name": enterprise.short_name,
            "industry_code": enterprise.industry_code,
            "uscc": enterprise.uscc,
            "region_id": enterprise.region_id,
            "registered_capital": enterprise.registered_capital,
            "business_scope": enterprise.business_scope,
        },
        exclude_pk=enterprise.pk,
    )
    enterprise.save()
    return enterprise
