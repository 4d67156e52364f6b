"""The project's URLs plus views that fail, for the error-page tests (handlers included)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from parklink.urls import handler500
from parklink.urls import urlpatterns as project_urls

SECRET_DETAIL = "connection string postgresql://admin:hunter2@db.internal/parklink"


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("ops-test/crash/", crash),
    path("api/v1/ops-test/crash/", crash),
    path("ops-test/refuse/", refuse),
    *project_urls,
]

__all__ = ["handler500", "urlpatterns"]
