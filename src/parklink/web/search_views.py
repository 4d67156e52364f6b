"""Search pages: the full result page and the typeahead fragment under the nav search box."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.accounts.models import User
from parklink.core.search import search

PAGE_LIMIT = 20
SUGGEST_LIMIT = 5


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
