"""Pages: thin views that ask services for data and render templates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from parklink.core.registry import registry


def dashboard_cards(request: HttpRequest) -> dict[str, list[SafeString]]:
    """The registered dashboard cards, rendered, by slot (`actions`, `body`), in their order."""
    cards: dict[str, list[SafeString]] = {}
    for card in registry.dashboard:
        html = render_to_string(card.template, dict(card.context(request)), request=request)
        cards.setdefault(card.slot, []).append(html)
    return cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page (首页): a header, then the cards the apps register (core.registry)."""
    return render(
        request,
        "web/home.html",
        {"cards": dashboard_cards(request), "today": timezone.localdate()},
    )


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers and tools ask for by that name: our static icon, no CDN."""
    found = finders.find("web/favicon.ico")
    if not found:
        raise Http404("favicon.ico")
    return FileResponse(open(str(found), "rb"), content_type="image/x-icon")
