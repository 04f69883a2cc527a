"""Errors raised while discovering and fetching reports; each message is one line naming the URL or file."""

from __future__ import annotations


class AcquireError(RuntimeError):
    """Base of every error the acquire package raises for a source, a URL or an archive file."""


class UnsafeUrlError(AcquireError):
    """A URL we refuse to request: not https, a host off the allowlist, a private or loopback address."""


class FetchError(AcquireError):
    """A request failed for good: an error status, retries used up, a body that is not what we asked for."""


class SourceError(AcquireError):
    """A publisher's listing could not be read, or no longer looks the way we know it."""


class ArchiveError(AcquireError):
    """A file in the archive (a PDF or its sidecar) is unreadable or inconsistent."""
