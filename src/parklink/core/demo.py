"""Load the demo data set hand-written from the source articles (src/parklink/data/demo/).

This module only runs the steps: each app registers a `DemoStep` that reads its own YAML file
(`read(name)`) and shares what it created through the `DemoContext`, so core names no app.
Every record is matched by its natural key, so loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from parklink.core.money import parse_amount
from parklink.core.registry import DemoContext, Registry, registry
from parklink.core.sources import cite, documents

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_ADMIN = "admin"
DEMO_PASSWORD = "parklink-demo"  # printed by `parklink demo`; demo installations only

DemoReport = DemoContext
"""What `load_demo` returns: `created` counts per kind of record (and `total`)."""


class DemoDataError(Exception):
    """A demo file refers to something no earlier step provided."""


def data_date() -> date | None:
    """The demo's data date: the latest full date among the cited articles (documents.yaml)."""
    days = [date.fromisoformat(doc.date) for doc in documents().values() if len(doc.date) == 10]
    return max(days, default=None)


def read(name: str) -> list[dict[str, Any]]:
    """The records of `<DEMO_DIR>/<name>.yaml` (an empty file is an empty list)."""
    path = DEMO_DIR / f"{name}.yaml"
    return list(yaml.safe_load(path.read_text("utf-8")) or [])


def sources(record: dict[str, Any]) -> list[dict[str, str]]:
    return list(record.get("sources") or ([record["source"]] if record.get("source") else []))


def created(ctx: DemoContext, kind: str, obj: Any, record: dict[str, Any]) -> None:
    """Count a record this run created and cite the articles its YAML entry quotes."""
    cite(obj, sources(record))
    ctx.count(kind)


def require(ctx: DemoContext, namespace: str, key: Any) -> Any:
    """What an earlier step remembered under `key`; a missing key is a broken demo file."""
    found = ctx.lookup(namespace, str(key))
    if found is None:
        raise DemoDataError(f"demo data: no {namespace} record with key {key!r}")
    return found


def first(ctx: DemoContext, namespace: str) -> Any:
    """The first record an earlier step remembered in `namespace` (a default owner)."""
    return next(iter(ctx.keys.get(namespace, {}).values()), None)


def text(record: dict[str, Any], name: str) -> str:
    """An optional text field: missing and null are both ''."""
    return str(record.get(name, "") or "")


def to_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def to_amount(value: Any) -> Decimal | None:
    """An amount as the files write it (`10亿元`, `5600万元`, a number of 元), in 元."""
    return None if value in (None, "") else parse_amount(value, default_unit="元")


def to_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def demo_admin() -> tuple[Any, bool]:
    """The demo installation administrator, created on the first load."""
    users = get_user_model()
    user = users._default_manager.filter(username=DEMO_ADMIN).first()
    if user is not None:
        return user, False
    user = users._default_manager.create_superuser(
        DEMO_ADMIN, "admin@parklink.invalid", DEMO_PASSWORD, display_name="演示管理员"
    )
    return user, True


@transaction.atomic
def load_demo(steps: Registry = registry) -> DemoReport:
    """Load (or top up) the demo set; returns what was created this time."""
    admin, is_new = demo_admin()
    ctx = DemoContext(admin=admin)
    if is_new:
        ctx.count("users")
    for step in steps.ordered_demo_steps():
        step.load(ctx)
    return ctx
