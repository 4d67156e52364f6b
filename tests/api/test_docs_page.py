"""The interactive API docs work on an intranet: every asset comes from this installation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.I)


def docs_page() -> str:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    return response.content.decode()


class TestSwaggerPage:
    def test_every_script_and_stylesheet_is_a_local_static_file(self) -> None:
        assets = ASSET.findall(docs_page())
        assert any(url.endswith(".js") for url in assets), assets
        static = "/" + settings.STATIC_URL.strip("/") + "/"
        for url in assets:
            assert url.startswith(static), f"{url} is not served by this installation"
            found = finders.find(url.removeprefix(static))
            assert found and Path(found).stat().st_size > 0, f"{url} is not a static file"

    def test_the_page_names_no_other_host(self) -> None:
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", docs_page(), re.I)

    def test_swagger_ui_does_not_ask_an_online_validator(self) -> None:
        page = docs_page()
        match = re.search(r'id="swagger-settings">(.*?)</script>', page, re.S)
        assert match is not None
        assert json.loads(match.group(1))["validatorUrl"] is None

    def test_the_init_script_fetches_only_the_openapi_document(self) -> None:
        found = finders.find("ninja/swagger-ui-init.js")
        assert found, "the init script is not a static file"
        source = Path(found).read_text()
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("//"))
        assert not re.search(r"https?://", code)
