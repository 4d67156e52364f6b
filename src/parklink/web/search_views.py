"""Search pages: the full result page and the typeahead fragment under the nav search box."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.accounts.models import User
from parklink.core.search import pick, search

PAGE_LIMIT = 20
SUGGEST_LIMIT = 5
PICK_LIMIT = 10


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    result = search(cast(User, request.user), request.GET.get("q"), limit=PAGE_LIMIT)
    return render(request, "web/search.html", {"result": result, "q": result.query.text})


@login_required
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The few best hits per kind, as an HTML fragment for htmx (no JSON)."""
    result = search(cast(User, request.user), request.GET.get("q"), limit=SUGGEST_LIMIT)
    return render(
        request, "web/partials/search_suggest.html", {"result": result, "q": result.query.text}
    )


@login_required
def search_pick(request: HttpRequest, kind: str) -> HttpResponse:
    """A picker's choices: the best rows of one kind the user may see, as an HTML fragment."""
    group = pick(cast(User, request.user), kind, request.GET.get("q"), limit=PICK_LIMIT)
    if group is None:
        raise Http404(kind)
    return render(
        request, "web/partials/pick_results.html", {"group": group, "q": request.GET.get("q")}
    )
