"""The client address throttling counts: REMOTE_ADDR unless trusted proxies are configured."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from parklink.core.clients import client_address


def request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


class TestClientAddress:
    def test_without_a_proxy_a_forwarded_header_is_ignored(self) -> None:
        assert client_address(request("10.1.0.1", "1.2.3.4")) == "10.1.0.1"

    @override_settings(PARKLINK_PROXY_COUNT=1)
    def test_behind_one_proxy_the_address_it_saw_counts(self) -> None:
        assert client_address(request("192.0.2.10", "1.2.3.4, 10.1.0.1")) == "10.1.0.1"

    @override_settings(PARKLINK_PROXY_COUNT=2)
    def test_behind_two_proxies_the_outer_ones_entry_counts(self) -> None:
        forwarded = "6.6.6.6, 10.1.0.1, 192.0.2.20"
        assert client_address(request("192.0.2.10", forwarded)) == "10.1.0.1"

    @override_settings(PARKLINK_PROXY_COUNT=2)
    def test_a_request_that_bypassed_a_proxy_counts_its_sender(self) -> None:
        assert client_address(request("192.0.2.10", "10.1.0.1")) == "192.0.2.10"
