"""An on-disk cache of GitHub API answers, for conditional requests and quota care.

Each answer is one JSON file under ``Settings.github_cache_dir``, named by a hash of the API
URL, a fingerprint of the token (never the token itself: a private answer seen with one token
is not served to another) and the request. Within the TTL an answer is reused without asking
GitHub; after it, or when the caller wants the latest state, the stored ``ETag`` goes out as
``If-None-Match`` and a ``304 Not Modified`` (which GitHub does not count against the primary
rate limit of an authenticated client) revalidates it.

The cache is an optimisation only: a file that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CACHE_FORMAT = 1


@dataclass(frozen=True)
class CachedAnswer:
    body: Any
    etag: str | None
    last_modified: str | None
    link: str | None  # the Link header, to continue a paginated list
    stored_at: float  # epoch seconds of the last 200 or 304


class ResponseCache:
    def __init__(
        self,
        directory: Path,
        *,
        ttl_s: float,
        namespace: str,
        now: Callable[[], float],
    ) -> None:
        self._directory = directory
        self._ttl_s = ttl_s
        self._namespace = namespace
        self._now = now

    def key(self, url: str, params: Mapping[str, object] | None = None) -> str:
        given = params or {}
        query = "&".join(f"{k}={given[k]}" for k in sorted(given))
        text = f"{CACHE_FORMAT}\n{self._namespace}\n{url}?{query}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self._directory / key[:2] / f"{key}.json"

    def is_fresh(self, answer: CachedAnswer) -> bool:
        age = self._now() - answer.stored_at
        return 0 <= age < self._ttl_s

    def load(self, key: str) -> CachedAnswer | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return CachedAnswer(
                body=data["body"],
                etag=data.get("etag"),
                last_modified=data.get("last_modified"),
                link=data.get("link"),
                stored_at=float(data["stored_at"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as err:
            logger.info("ignoring unreadable GitHub cache entry %s: %s", key, err)
            return None

    def store(self, key: str, body: Any, headers: Mapping[str, str], *, url: str) -> CachedAnswer:
        answer = CachedAnswer(
            body=body,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            link=headers.get("link"),
            stored_at=self._now(),
        )
        self._write(key, answer, url)
        return answer

    def touch(self, key: str, answer: CachedAnswer, *, url: str) -> CachedAnswer:
        """A 304 confirmed the stored answer: restart its lifetime."""
        fresh = CachedAnswer(
            answer.body, answer.etag, answer.last_modified, answer.link, self._now()
        )
        self._write(key, fresh, url)
        return fresh

    def _write(self, key: str, answer: CachedAnswer, url: str) -> None:
        path = self._path(key)
        record = {
            "url": url,
            "stored_at": answer.stored_at,
            "etag": answer.etag,
            "last_modified": answer.last_modified,
            "link": answer.link,
            "body": answer.body,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(record, out)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            logger.warning("could not write the GitHub cache under %s: %s", self._directory, err)
