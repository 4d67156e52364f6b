"""The attachments panel any app registers on its record's page.

An app registers `Panel(<its model>, "attachments", PANEL_TEMPLATE, <context>)` whose context
calls `panel_context(request, record, also=[(child, label), …])`: the record's files, and
those of rows shown with it (a project's funds entries), in one list with one upload form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest

from parklink.attachments import services
from parklink.attachments.forms import UploadForm
from parklink.core.registry import registry
from parklink.core.views import authenticated

PANEL_TEMPLATE = "attachments/panel.html"
PANEL_KEY = "attachments"


def panel_context(
    request: HttpRequest,
    record: Model,
    *,
    also: Iterable[tuple[Model, str]] = (),
    form: UploadForm | None = None,
) -> dict[str, Any]:
    """The panel's variables: the attachments of `record` and of `also` (each shown with its
    label), the upload form over the records the user may change, and the history."""
    user = authenticated(request)
    home = services.target_of(record)
    targets = [(home, str(record))]
    targets += [(services.target_of(row), label) for row, label in also]
    labels = {found.key: label for found, label in targets}
    writable = [(found.key, label) for found, label in targets if services.can_change(user, found)]
    attachments = list(services.attachments_of(found for found, _label in targets))
    for attachment in attachments:
        key = f"{attachment.record_label}:{attachment.record_id}"
        # What the template shows beside each file: the row it is on, whether it may go.
        setattr(attachment, "shown_on", labels.get(key, "") if key != home.key else "")  # noqa: B010
        setattr(attachment, "deletable", key in dict(writable))  # noqa: B010
    if form is None and writable:
        form = upload_form(writable, initial={"target": home.key})
    return {
        "home": home.key,
        "attachments": attachments,
        "form": form,
        "history": list(services.history_of(found for found, _label in targets)[:20]),
        "record_url": home.entry.url(record),
        "writable": writable,
    }


def upload_form(
    writable: list[tuple[str, str]],
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, Any] | None = None,
    initial: Mapping[str, Any] | None = None,
) -> UploadForm:
    return UploadForm(
        data,
        files,
        targets=writable,
        allowed=services.allowed_text(),
        max_bytes=settings.PARKLINK_ATTACHMENT_MAX_BYTES,
        initial=initial,
    )


def registered_context(request: HttpRequest, record: Model) -> dict[str, Any] | None:
    """The context the record's app registered for its panel (with its `also` rows), or the
    plain one for a record whose page has no panel."""
    for panel in registry.panels_for(record, "section"):
        if panel.key == PANEL_KEY:
            values = panel.context(request, record)
            return dict(values) if values is not None else None
    return panel_context(request, record)
