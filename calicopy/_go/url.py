"""Go's ``net/url``: what calicopy needs of it, ``URL.Redacted``."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["redacted"]


def redacted(url: str) -> str:
    """``url`` as Go's ``url.URL.Redacted`` writes it: the password of the userinfo replaced by
    ``xxxxx``, the user name kept; a URL without a password comes back unchanged."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:xxxxx@{hostport}"))
