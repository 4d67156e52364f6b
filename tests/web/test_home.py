"""The home page is a frame: the header, then the dashboard cards the apps register, by slot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from parklink.core.registry import DashboardCard, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(tmp_path, settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    (tmp_path / "card_body.html").write_text('<section id="throwaway">{{ n }}</section>')
    (tmp_path / "card_actions.html").write_text('<a id="throwaway-button">{{ user }}</a>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    registry.dashboard.add(
        DashboardCard("throwaway", "card_body.html", lambda request: {"n": 42}, order=999)
    )
    registry.dashboard.add(
        DashboardCard("throwaway-actions", "card_actions.html", lambda r: {}, slot="actions")
    )
    yield
    registry.dashboard.remove("throwaway")
    registry.dashboard.remove("throwaway-actions")


class TestHome:
    def test_registered_cards_render_in_their_slots(self, users, cards) -> None:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(users["jinniu"])
        html = client.get(reverse("home")).content.decode()
        header = html[html.index('class="pl-page-header__actions"') : html.index("</div>\n</div>")]
        assert '<a id="throwaway-button">jinniu_officer</a>' in header
        # Order 999: after the projects' card.
        assert html.index('id="pipeline"') < html.index('<section id="throwaway">42</section>')


class TestFavicon:
    def test_favicon_is_served_from_our_static_files_without_login(self, db) -> None:  # type: ignore[no-untyped-def]
        from django.test import Client

        response = Client().get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/x-icon"
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header
        assert "max-age" in response["Cache-Control"]
