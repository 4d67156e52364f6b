"""What every page shares: the write check, links, and service refusals as pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.core.views import ServiceErrors, error_page, permitted, url_or_blank


def refuse(reason: str) -> None:
    raise Forbidden(reason)


def request() -> HttpRequest:
    made = RequestFactory().get("/")
    made.user = AnonymousUser()
    return made


class TestPermitted:
    def test_a_check_that_passes(self) -> None:
        assert permitted(lambda: None)

    def test_a_check_that_refuses(self) -> None:
        assert not permitted(refuse, "只读")


class TestUrlOrBlank:
    def test_a_page_that_exists(self) -> None:
        assert url_or_blank("parks:detail", 7) == "/parks/7/"

    def test_a_page_that_does_not(self) -> None:
        assert url_or_blank("nowhere:page") == ""


class TestServiceErrors:
    @pytest.mark.django_db
    def test_forbidden_is_the_forbidden_page(self) -> None:
        response = error_page(request(), Forbidden("当前角色只能查看,不能修改数据。"))
        assert response is not None and response.status_code == 403
        body = response.content.decode()
        assert 'id="forbidden"' in body and "当前角色只能查看,不能修改数据。" in body

    def test_not_found_is_a_404(self) -> None:
        with pytest.raises(Http404):
            error_page(request(), NotFound("项目不存在。"))

    def test_other_errors_are_left_to_the_view(self) -> None:
        assert error_page(request(), Invalid("有误")) is None
        assert error_page(request(), ValueError("x")) is None

    @pytest.mark.django_db
    def test_the_middleware_answers_a_refusal_that_leaves_a_view(self) -> None:
        middleware = ServiceErrors(lambda _request: None)  # type: ignore[arg-type,return-value]
        response = middleware.process_exception(request(), Forbidden("不能"))
        assert response is not None and response.status_code == 403
