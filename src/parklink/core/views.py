"""What every app's pages share: the signed-in user, write checks, links, and refusals as pages.

A service refuses with a `core.errors` exception. On a page, `ServiceErrors` (a middleware,
the pages' twin of the API's single `parklink_error` handler) turns the ones a view lets
through into the page's answer: `Forbidden` → the forbidden page (403), `NotFound` → 404. A
view that shows a form catches the rest itself (`core.forms.service_errors_on`), so
`Invalid` and `Conflict` land next to the fields they name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from parklink.core.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

# Form errors come back with this status; base.html tells htmx to swap it in like a 200.
INVALID = 422
FORBIDDEN_TEMPLATE = "core/forbidden.html"


def authenticated(request: HttpRequest) -> _User:
    """The signed-in user (login_required has already turned anonymous visitors away)."""
    user = request.user
    assert user.is_authenticated
    return user


def permitted(check: Callable[..., object], *args: Any) -> bool:
    """Whether `check(*args)` lets the call through: a service's `ensure_…` raises Forbidden.

    `permitted(ensure_can_write, user, park.owner_id)` decides whether a page shows its
    edit button.
    """
    try:
        check(*args)
    except Forbidden:
        return False
    return True


def url_or_blank(name: str, *args: Any) -> str:
    """reverse(), or "" while the page named `name` does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def is_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of the page (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def forbidden(request: HttpRequest, error: Forbidden) -> HttpResponse:
    """The page of a refused action: what was refused and why (403)."""
    return render(request, FORBIDDEN_TEMPLATE, {"message": error.message}, status=403)


def error_page(request: HttpRequest, error: Exception) -> HttpResponse | None:
    """The page a service's refusal becomes, or None when it is not a page-level refusal."""
    if isinstance(error, Forbidden):
        return forbidden(request, error)
    if isinstance(error, NotFound):
        raise Http404(error.message) from error
    return None


class ServiceErrors:
    """Middleware: a `Forbidden` or `NotFound` that leaves a view becomes its 403 or 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return error_page(request, exception)
