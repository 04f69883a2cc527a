"""Which URLs may be requested: https, exact allowlisted hosts, no private or loopback addresses by default."""

from __future__ import annotations

import socket

import pytest

from mixedflows.acquire import AcquireConfig, UnsafeUrlError
from mixedflows.acquire.safety import check_url
from tests.support.acquire_site import loopback_only_fixture  # noqa: F401 (an autouse fixture)

#: A public address literal, so that no test needs a name lookup.
PUBLIC = "93.184.215.14"


@pytest.mark.parametrize(
    ("url", "allowed", "reason"),
    [
        (f"http://{PUBLIC}/r.pdf", {PUBLIC}, "plain http is refused"),
        (f"https://{PUBLIC}.nip.example/r.pdf", {PUBLIC}, "is not on the allowlist"),
        (f"https://sub.{PUBLIC}/r.pdf", {PUBLIC}, "is not on the allowlist"),
        (f"https://user:secret@{PUBLIC}/r.pdf", {PUBLIC}, "credentials are refused"),
        ("ftp://dtm.iom.int/r.pdf", {"dtm.iom.int"}, "not an absolute http(s) URL"),
        ("/reports/r.pdf", {"dtm.iom.int"}, "not an absolute http(s) URL"),
        ("https://127.0.0.1/r.pdf", {"127.0.0.1"}, "private or loopback address"),
        ("https://10.1.2.3/r.pdf", {"10.1.2.3"}, "private or loopback address"),
        ("https://169.254.169.254/latest/meta-data", {"169.254.169.254"}, "private or loopback address"),
        ("https://[::1]/r.pdf", {"::1"}, "private or loopback address"),
        ("https://[::ffff:192.168.0.1]/r.pdf", {"::ffff:192.168.0.1"}, "private or loopback address"),
        ("https://localhost/r.pdf", {"localhost"}, "private or loopback address"),
    ],
)
def test_unsafe_urls_are_refused_with_the_reason(url: str, allowed: set[str], reason: str) -> None:
    """Each unsafe URL is refused before any request, with a message naming the URL and why."""
    with pytest.raises(UnsafeUrlError) as refused:
        check_url(url, allowed)
    assert str(refused.value).startswith(url) and reason in str(refused.value)


def test_https_to_an_allowlisted_public_host_is_allowed() -> None:
    """https to a public address on the allowlist passes (host names compare case-insensitively)."""
    assert check_url(f"https://{PUBLIC}/reports/a.pdf", {PUBLIC}) == f"https://{PUBLIC}/reports/a.pdf"


def test_an_allowlisted_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A publisher host name that resolves to a private address (DNS rebinding, a hijack) is refused."""
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: [(socket.AF_INET, 1, 6, "", ("10.0.0.7", 0))])
    with pytest.raises(UnsafeUrlError, match=r"dtm\.iom\.int is a private or loopback address"):
        check_url("https://DTM.iom.int/reports/a.pdf", {"dtm.iom.int"})


def test_allow_private_permits_http_to_loopback_only() -> None:
    """The explicit test setting allows loopback (and plain http to it), never plain http elsewhere."""
    assert check_url("http://127.0.0.1:8000/a.pdf", {"127.0.0.1"}, allow_private=True)
    with pytest.raises(UnsafeUrlError, match="plain http is refused"):
        check_url(f"http://{PUBLIC}/a.pdf", {PUBLIC}, allow_private=True)


def test_private_addresses_are_refused_by_default() -> None:
    """A default config does not allow private or loopback addresses; only an explicit setting does."""
    assert AcquireConfig().allow_private_addresses is False
    assert AcquireConfig.from_env({}).allow_private_addresses is False
    assert AcquireConfig.from_env({"MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES": "1"}).allow_private_addresses is True


def test_a_listing_override_allows_only_its_own_host() -> None:
    """Pointing a family at a mirror replaces its allowlist with the mirror's host, nothing more."""
    config = AcquireConfig.from_env({"MIXEDFLOWS_LISTING_URL_DTM_WB": "https://mirror.example.org/dtm/reports"})
    assert config.source("dtm_wb").allowed_hosts == {"mirror.example.org"}
    assert config.source("unhcr_wb").allowed_hosts == {"data.unhcr.org"}


def test_the_test_guard_catches_a_remote_lookup(loopback_only: list[str]) -> None:
    """The autouse guard of these tests really stops a lookup beyond loopback (then forgets it)."""
    with pytest.raises(AssertionError, match="tried to resolve dtm.iom.int"):
        socket.getaddrinfo("dtm.iom.int", 443)
    assert loopback_only == ["dtm.iom.int"]
    loopback_only.clear()
