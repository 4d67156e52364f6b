"""Group-robot messages: the WeCom and DingTalk markdown payloads, DingTalk's signature, and
the POST itself (standard library only, no Django)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Collection
from urllib.parse import quote_plus, urlsplit

# The robots' limits on a markdown message (bytes of UTF-8): WeCom 4096, DingTalk 20000.
LIMITS = {"wecom": 4096, "dingtalk": 20000}


class DeliveryFailed(Exception):
    """The robot could not be reached, or answered with an error."""


def payload(kind: str, title: str, text: str) -> dict[str, object]:
    """The JSON body of a markdown message for `kind` ("wecom" or "dingtalk")."""
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    raise ValueError(f"unknown robot kind {kind!r}")


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, added
    to the URL as `timestamp` and `sign`."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def fit(lines: list[str], limit: int, more: str) -> str:
    """As many whole lines as fit in `limit` bytes, then `more` (formatted with the count of
    lines left out) when some were."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        size = len(line.encode()) + 1
        tail = len((more % {"n": len(lines) - index}).encode()) + 1
        if (used + size + tail > limit and index < len(lines) - 1) or used + size > limit:
            kept.append(more % {"n": len(lines) - index})
            break
        kept.append(line)
        used += size
    return "\n".join(kept)


Resolver = Callable[[str], list[str]]


def _resolve(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def internal_address(address: str) -> bool:
    """Loopback, private, link-local (cloud metadata), shared, reserved or unspecified."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def literal_internal(url: str, allowed: Collection[str] = ()) -> bool:
    """True when the URL names an internal host without asking DNS: an internal IP address
    written out, or `localhost`. Hosts in `allowed` are never internal."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host in allowed:
        return False
    return host == "localhost" or host.endswith(".localhost") or internal_address(host)


def check_destination(
    url: str, allowed: Collection[str] = (), resolve: Resolver = _resolve
) -> None:
    """DeliveryFailed unless the URL is http(s) and every address its host resolves to is a
    public one (or the host is one the operator allowed): a robot address must not be a way
    to reach the server's own network."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise DeliveryFailed("only http(s) addresses are called")
    host = parts.hostname.lower()
    if host in allowed:
        return
    if literal_internal(url):
        raise DeliveryFailed(f"{host} is an internal address")
    try:
        addresses = resolve(host)
    except OSError as error:
        raise DeliveryFailed(f"{host}: {error}") from None
    if not addresses or any(internal_address(a) for a in addresses):
        raise DeliveryFailed(f"{host} resolves to an internal address")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A robot answers where it was asked; a redirect elsewhere is refused, not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(
    url: str,
    body: dict[str, object],
    timeout: float,
    allowed: Collection[str] = (),
    resolve: Resolver = _resolve,
) -> None:
    """POST the message; DeliveryFailed unless the robot answers errcode 0. Internal
    destinations are refused unless their host is in `allowed`."""
    check_destination(url, allowed, resolve)
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DeliveryFailed(str(getattr(error, "reason", error))) from None
    try:
        result = json.loads(answer or b"{}")
    except ValueError:
        raise DeliveryFailed("the robot's answer is not JSON") from None
    code = result.get("errcode", 0) if isinstance(result, dict) else 0
    if code not in (0, "0"):
        raise DeliveryFailed(f"errcode {code}: {result.get('errmsg', '')}")
