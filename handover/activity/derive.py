"""The feed an account's address gives, where the platform's URL makes it derivable."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_CHANNEL = re.compile(r"^/channel/(UC[A-Za-z0-9_-]{22})/?")
_MASTODON_USER = re.compile(r"^/@([A-Za-z0-9_]+)/?$")
_BLUESKY = re.compile(r"^/profile/([^/]+)/?$")


def propose_feed(url: str, platform: str = "") -> str | None:
    """The feed of the account at `url`, or None when it cannot be derived from it.

    YouTube `/channel/UC…` → `feeds/videos.xml?channel_id=UC…` (an `@handle` address
    does not give the channel id: read it on the channel's page); Mastodon
    `https://INSTANCE/@user` → `@user.rss`; Bluesky `bsky.app/profile/HANDLE` → `…/rss`;
    a Discourse forum → `/latest.rss`; a blog → WordPress' `/feed/`."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host, path = parts.netloc.lower(), parts.path or "/"
    if not host or parts.scheme not in ("http", "https"):
        return None
    base = f"https://{parts.netloc}"
    if host.endswith("youtube.com"):
        channel = _YOUTUBE_CHANNEL.match(path)
        if channel:
            return f"https://www.youtube.com/feeds/videos.xml?channel_id={channel.group(1)}"
        given = parse_qs(parts.query).get("channel_id")
        return f"https://www.youtube.com/feeds/videos.xml?channel_id={given[0]}" if given else None
    if host in ("bsky.app", "www.bsky.app"):
        profile = _BLUESKY.match(path)
        return f"https://bsky.app/profile/{profile.group(1)}/rss" if profile else None
    if any(host.endswith(h) for h in ("facebook.com", "instagram.com", "tiktok.com", "x.com", "twitter.com", "linkedin.com")):
        return None  # no public feed: use an export or handover log
    user = _MASTODON_USER.match(path)
    if user:
        return f"{base}/@{user.group(1)}.rss"
    if platform == "forum":
        return f"{base}/latest.rss"
    if platform == "blog":
        return f"{base}{path.rstrip('/')}/feed/"
    return None
