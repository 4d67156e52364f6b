"""The 500 page: the request's id in the user's language, never a traceback.

Django's own 500 view renders its template without a request; this one passes the request id
(so a user can quote it and an operator find the log lines) and falls back to plain text if
even the template fails. The 403 and 404 pages are Django's views with the project's
templates (`403.html`, `404.html`), which show the id through `request_id_context`; a form
refused by the CSRF check gets the same 403 page (`csrf_failure`, CSRF_FAILURE_VIEW).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from parklink.core.observability import current_request_id

TEMPLATE = "500.html"
API_PREFIX = "/api/"


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = TEMPLATE) -> HttpResponse:
    request_id = getattr(request, "request_id", current_request_id())
    if request.path.startswith(API_PREFIX):
        # The API's clients read JSON: the API's error shape, with the id to quote.
        payload = {
            "error": "server_error",
            "message": _("服务器内部错误,请稍后重试。"),
            "detail": {"request_id": request_id},
        }
        return JsonResponse(payload, status=500, json_dumps_params={"ensure_ascii": False})
    try:
        body = loader.get_template(template_name).render({"request_id": request_id})
    except Exception:
        body = f"500 Server Error / 服务器内部错误 (request {request_id})"
        return HttpResponseServerError(body, content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (an expired page, a cookie blocked): the 403 page
    with what to do, instead of Django's technical English page. `reason` stays in the log."""
    message = _("页面已过期或无法确认来自本站,请刷新页面后重新提交。")
    return render(request, "403.html", {"exception": message}, status=403)
