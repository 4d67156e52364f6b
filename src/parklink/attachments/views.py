"""Pages: a record's attachments, upload (htmx or plain), download and delete.

Downloads are always `Content-Disposition: attachment`; only images may be shown inline (a
thumbnail or the picture itself), as images, with `X-Content-Type-Options: nosniff` and a
Content-Security-Policy that lets nothing run.
"""

from __future__ import annotations

from typing import Any, BinaryIO, cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parklink.attachments import panels, services
from parklink.attachments.models import Attachment
from parklink.core.errors import Invalid
from parklink.core.views import INVALID, authenticated, is_fragment

# Served files may not run anything, load anything or be framed.
STRICT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@login_required
@require_GET
def record_page(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """附件: a record's attachments on a page of their own (the panel, full width)."""
    found = services.target(authenticated(request), label, pk)
    context = panels.registered_context(request, found.record)
    if context is None:
        raise Http404
    return render(
        request,
        "attachments/record.html",
        {**context, "record": found.record, "record_kind": found.entry.label},
    )


def _home(request: HttpRequest) -> services.Target:
    label, pk = services.parse_key(request.POST.get("home", ""))
    return services.target(authenticated(request), label, pk)


def _panel(
    request: HttpRequest, home: services.Target, form: Any = None, status: int = 200
) -> HttpResponse:
    context = panels.registered_context(request, home.record)
    if context is None:
        raise Http404
    if form is not None:
        context["form"] = form
    return render(request, panels.PANEL_TEMPLATE, context, status=status)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    home = _home(request)
    context = panels.registered_context(request, home.record) or {}
    form = panels.upload_form(context.get("writable", []), request.POST, request.FILES)
    if form.is_valid():
        label, pk = services.parse_key(form.cleaned_data["target"])
        found = services.target(user, label, pk)
        uploaded = form.cleaned_data["file"]
        try:
            services.upload(
                user,
                found,
                cast(BinaryIO, uploaded),
                name=uploaded.name or "",
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            )
        except Invalid as error:
            for field, message in (error.detail or {"file": error.message}).items():
                form.add_error(field if field in form.fields else "file", message)
    if not form.is_valid():
        if is_fragment(request):
            return _panel(request, home, form, status=INVALID)
        context = panels.registered_context(request, home.record) or {}
        context["form"] = form
        return render(
            request,
            "attachments/record.html",
            {**context, "record": home.record, "record_kind": home.entry.label},
            status=INVALID,
        )
    if is_fragment(request):
        return _panel(request, home)
    messages.success(request, _("附件已上传。"))
    return redirect(home.entry.url(home.record))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    attachment = services.get_visible(user, pk)
    services.delete(user, attachment)
    home = _home(request) if request.POST.get("home") else None
    if home is not None and is_fragment(request):
        return _panel(request, home)
    messages.success(request, _("附件已删除。"))
    if home is not None:
        return redirect(home.entry.url(home.record))
    return redirect("attachments:record", attachment.record_label, attachment.record_id)


def serve(attachment: Attachment, *, inline: bool = False, thumbnail: bool = False) -> FileResponse:
    """The stored file as a response: a download, or an image shown as an image."""
    if thumbnail and not attachment.thumbnail:
        raise Http404
    stored = attachment.thumbnail if thumbnail else attachment.file
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("附件文件已不在存储中。")) from None
    show_inline = (inline or thumbnail) and attachment.is_image
    response = FileResponse(
        handle,
        as_attachment=not show_inline,
        filename=attachment.original_name,
        content_type="image/jpeg" if thumbnail else attachment.mime,
    )
    if show_inline:
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{quote(attachment.original_name)}"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STRICT_CSP
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = services.get_visible(authenticated(request), pk)
    return serve(attachment, inline=request.GET.get("inline") == "1")


@login_required
@require_GET
def thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    attachment = services.get_visible(authenticated(request), pk)
    return serve(attachment, thumbnail=True)
