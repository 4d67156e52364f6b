"""The JSON API under /api/v1/: one NinjaAPI with a router per domain app."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth
from ninja.types import DictStrAny

from parklink.accounts.services import user_for_token
from parklink.core.apitools import ApiError
from parklink.core.clients import client_address
from parklink.core.errors import Invalid, ParkLinkError
from parklink.core.throttle import FailureWindow, TooManyAttempts


def bad_tokens() -> FailureWindow:
    """Unknown or revoked bearer tokens counted per client address (settings, docs/api.md)."""
    return FailureWindow(
        "api-bad-token",
        limit=settings.PARKLINK_API_TOKEN_FAILURE_LIMIT,
        seconds=settings.PARKLINK_API_TOKEN_LOCKOUT_MINUTES * 60,
    )


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # An address that sent too many bad tokens is refused (429) even with a good one, so
        # guessing cannot go on from there; other addresses are not affected.
        address = client_address(request)
        window = bad_tokens()
        window.check(address)
        user = user_for_token(token)
        if user is None:
            window.fail(address)
            return None
        request.user = user
        return user


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Chinese text as UTF-8 rather than \\u escapes, so responses stay readable."""

    json_dumps_params: Mapping[str, Any] = MappingProxyType({"ensure_ascii": False})


_WRITES = frozenset({"post", "put", "patch", "delete"})
_ERRORS = {
    "400": "A rule is broken (`invalid`), or the body is not JSON (`http_error`)",
    "401": "No token, or an unknown or revoked one",
    "403": "The user may see the record but not change it",
    "404": "No such record, or a project the user may not see",
    "409": "A duplicate, an illegal stage move or a conflict with the record's state",
    "422": "Malformed input: missing or unknown fields, wrong types, unknown choices",
    "429": "Too many unknown or revoked tokens from this address: wait `Retry-After` seconds",
}


def _error_statuses(method: str, operation: Mapping[str, Any]) -> set[str]:
    """The error statuses an operation can answer, from what it takes (docs/api.md, "Errors")."""
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    statuses = {"422"}
    if operation.get("security"):
        statuses |= {"401", "429"}
    if "query" in places or "requestBody" in operation:
        statuses.add("400")
    if "path" in places:
        statuses.add("404")
    if method in _WRITES:
        statuses |= {"403", "409"}
    return statuses


def _nul_at(value: Any, path: str) -> str | None:
    """The path of the first text holding a NUL character (PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _nul_at(key, path) or _nul_at(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


class NoNulParser(Parser):
    """JSON bodies and query strings with a NUL character are refused as a 400 naming the
    field, as Django's forms refuse them, instead of failing in the database."""

    def _checked(self, data: Any) -> Any:
        where = _nul_at(data, "")
        if where is not None:
            raise Invalid.on(where or "body", _("不能包含空字符(\\x00)。"))
        return data

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return cast(DictStrAny, self._checked(super().parse_body(request)))

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        return cast(DictStrAny, self._checked(super().parse_querydict(data, list_fields, request)))


class ParkLinkAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document declares the JSON error responses of each operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ApiError", ApiError.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in sorted(_error_statuses(method, operation)):
                    responses.setdefault(status, {"description": _ERRORS[status], "content": body})
        return schema


api = ParkLinkAPI(
    title="ParkLink API",
    version="1.0.0",
    description="园链 ParkLink: parks, enterprises and the investment project pipeline.",
    urls_namespace="api-v1",
    # Browser sessions may call the API too; SessionAuth enforces CSRF for them.
    auth=[BearerToken(), django_auth],
    renderer=Utf8JSONRenderer(),
    parser=NoNulParser(),
    # No online validator badge: the docs page must not call out of an intranet.
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(request: HttpRequest, status: int, error: str, detail: Any) -> HttpResponse:
    return api.create_response(request, {"error": error, "detail": detail}, status=status)


@api.exception_handler(ParkLinkError)
def parklink_error(request: HttpRequest, exc: ParkLinkError) -> HttpResponse:
    detail = exc.detail if exc.detail is not None else exc.message
    return api.create_response(
        request, {"error": exc.code, "message": exc.message, "detail": detail}, status=exc.status
    )


@api.exception_handler(TooManyAttempts)
def too_many_attempts(request: HttpRequest, exc: TooManyAttempts) -> HttpResponse:
    response = parklink_error(request, exc)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthenticated", _("请提供有效的令牌: Authorization: Bearer <token>")
    )


@api.exception_handler(NinjaValidationError)
def malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "validation_error", exc.errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ParkLinkError):  # the parser's refusal, which ninja wraps
        return parklink_error(request, exc.__cause__)
    return _error(request, exc.status_code, "http_error", str(exc))


def register_routers() -> None:
    """Mount the `router` of every app that has an `api.py`, at `/<app label>/`."""
    from parklink.core.apps import parklink_apps

    for config in parklink_apps():
        module = config.submodule("api")
        if module is not None and hasattr(module, "router"):
            api.add_router(f"/{config.api_prefix or config.label}", module.router)


register_routers()
