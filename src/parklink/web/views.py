"""Pages: thin views that ask services for data and render templates."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.accounts.models import User
from parklink.projects.queries import today
from parklink.web import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard (首页): pipeline, signings, sectors, parks, ageing and my attention list."""
    board = dashboard.build(cast(User, request.user))
    return render(request, "web/home.html", {"board": board, "today": today()})
