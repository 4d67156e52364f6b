"""Schemes stored by version: shipped examples (data/kpi/*.yaml) and organisations' own.

Saving a document reads it first (`engine.scheme.read`): a scheme with an unknown name, an
unguarded division, a cap below its floor or a window over two years is refused with every
problem listed. An unchanged document is not saved again; a changed one becomes the next
version, and assessments keep pointing at the version they used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.kpi.engine import scheme as scheme_engine
from parklink.kpi.engine.scheme import Scheme, SchemeError
from parklink.kpi.models import SchemeVersion

SHIPPED = Path(__file__).resolve().parent.parent.parent / "data" / "kpi"


def parse_text(text: str) -> Any:
    """A YAML document as data, or Invalid saying where the YAML is broken."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        if mark is None:
            message = _("YAML 格式错误:%(reason)s") % {"reason": reason}
        else:
            message = _("YAML 格式错误(第%(line)d行第%(column)d列):%(reason)s") % {
                "line": mark.line + 1,
                "column": mark.column + 1,
                "reason": reason,
            }
        raise Invalid.on("text", message) from exc


def read_document(document: Any) -> Scheme:
    """The scheme, or Invalid with every problem (in the active language)."""
    try:
        return scheme_engine.read(document)
    except SchemeError as exc:
        from django.utils.translation import get_language

        messages = exc.messages(get_language() or "zh")
        raise Invalid(
            _("方案有%(n)d处问题:%(first)s") % {"n": len(messages), "first": messages[0]},
            detail={"text": messages},
        ) from exc


def scheme_of(version: SchemeVersion) -> Scheme:
    """The engine's scheme of a stored version (stored versions were checked when saved)."""
    return scheme_engine.read(version.document)


def _save(
    document: dict[str, Any], text: str, owner_id: int | None, user: User | None
) -> SchemeVersion:
    scheme = read_document(document)
    with transaction.atomic():
        latest = (
            SchemeVersion.objects.select_for_update()
            .filter(key=scheme.key)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.owner_id != owner_id:
            raise Forbidden(_("方案代码“%(key)s”已被其他机构使用") % {"key": scheme.key})
        if latest is not None and latest.document == document:
            return latest
        number = (latest.version if latest else 0) + 1
        return SchemeVersion.objects.create(
            key=scheme.key,
            version=number,
            name=scheme.name,
            document=document,
            text=text,
            owner_id=owner_id,
            illustrative=scheme.illustrative,
            created_by=user,
        )


def save_scheme(user: User, text: str) -> SchemeVersion:
    """Save a scheme written on the page (YAML) as its organisation's next version."""
    if not user.is_superuser:
        ensure_can_write(user, user.organization_id)
    document = parse_text(text)
    if not isinstance(document, dict):
        raise Invalid.on("text", _("方案应为一个 YAML 映射"))
    owner_id = None if user.is_superuser and document.get("shipped") else user.organization_id
    document.pop("shipped", None)
    return _save(document, text, owner_id, user)


def load_shipped() -> list[SchemeVersion]:
    """The example schemes of data/kpi/, saved as versions with no owner (idempotent)."""
    saved = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        saved.append(_save(yaml.safe_load(text), text, None, None))
    return saved


def latest_versions(visible: Any) -> list[SchemeVersion]:
    """The newest version of every scheme in `visible` (a queryset of versions)."""
    newest = visible.values("key").annotate(top=Max("version"))
    wanted = Q(pk__in=[])
    for row in newest:
        wanted |= Q(key=row["key"], version=row["top"])
    return list(visible.filter(wanted).order_by("key"))


def get_version(visible: Any, key: str, version: int | None = None) -> SchemeVersion:
    qs = visible.filter(key=key)
    found = qs.filter(version=version).first() if version else qs.order_by("-version").first()
    if (
        found is None
        and not SchemeVersion.objects.filter(key=key).exists()
        and SHIPPED.joinpath(f"{key}.yaml").exists()
    ):
        load_shipped()
        found = get_version(visible, key, version)
    if found is None:
        raise NotFound(_("考核方案“%(key)s”不存在或无权查看") % {"key": key})
    return found
