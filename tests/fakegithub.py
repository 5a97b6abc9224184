"""GitHub API fixtures for tests: ``responses`` helpers and a tiny local fake API server.

The payloads are the real ones of ``../shared/fixtures/github/`` (see its README).

With ``responses`` (strict mode), in a test::

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        register(rsps, "repos_get.json")                      # at the fixture's own URL
        register(rsps, "repos_commits_list.json", drop=("link",))

As a real HTTP server on 127.0.0.1 (black-box tests, or by hand:
``python tests/fakegithub.py --repo Owner/Name --head SHA``)::

    with FakeGitHub() as gh:                                    # picks a free port
        gh.add_repo("Owner", "Name", head_sha="ab" * 20, fork_of="Upstream/Name")
        gh.rate_limit(seconds=2)                                # 403 until 2 s from now
        ... GITHUB_API_URL=gh.url ...

It can answer 404 (any unknown path), 301 (``moved``), 409 (``empty``), 451 (``blocked``), a
primary rate limit that lifts after N seconds, a secondary limit with ``Retry-After``
(``secondary_limit``), 5xx (``fail``), and honours ``If-None-Match`` with a 304.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "github"
API = "https://api.github.com"


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def url_pattern(url: str) -> re.Pattern[str]:
    """Match ``url`` with or without PyGithub's ``:443``, with any query string."""
    u = urlsplit(url)
    return re.compile(
        "^" + re.escape(f"{u.scheme}://{u.hostname}") + r"(:443)?" + re.escape(u.path) + r"(\?.*)?$"
    )


_KEEP = object()


def register(
    rsps: Any,
    name: str,
    url: str | None = None,
    *,
    status: int | None = None,
    body: Any = _KEEP,
    headers: Mapping[str, str] | None = None,
    drop: Iterable[str] = (),
    match: Iterable[Any] = (),
) -> dict[str, Any]:
    """Register fixture ``name`` (optionally at another ``url``, with another status, body,
    extra ``headers`` or without the headers named in ``drop``) and return the fixture."""
    import responses

    fx = load_fixture(name)
    dropped = {d.lower() for d in drop}
    all_headers = {k: v for k, v in fx["headers"].items() if k.lower() not in dropped}
    all_headers.update(headers or {})
    payload = fx["body"] if body is _KEEP else body
    rsps.add(
        responses.GET,
        url_pattern(url or fx["url"]),
        body=b"" if payload is None else json.dumps(payload),
        status=fx["status"] if status is None else status,
        headers=all_headers,
        match=list(match),
    )
    return fx


# -- the fake server ---------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # answer this many times, then fall through to the next reply


class FakeGitHub:
    """A GitHub REST API double on 127.0.0.1; routes match the path, ignoring the query."""

    def __init__(self, port: int = 0) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, list[Reply]] = {}
        self._limited_until = 0.0
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path with query, headers)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGitHub:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting -----------------------------------------------------------------------

    def add(
        self,
        path: str,
        fixture: str | None = None,
        *,
        status: int | None = None,
        body: Any = _KEEP,
        headers: Mapping[str, str] | None = None,
        times: int | None = None,
        first: bool = False,
    ) -> None:
        """Answer ``path`` with a fixture's status/headers/body (each overridable)."""
        fx = load_fixture(fixture) if fixture else {"status": 200, "headers": {}, "body": None}
        reply_headers = {
            k: v for k, v in fx["headers"].items() if k.lower() not in {"link", "location"}
        }
        reply_headers.update(headers or {})
        reply = Reply(
            status=fx["status"] if status is None else status,
            body=copy.deepcopy(fx["body"]) if body is _KEEP else body,
            headers=reply_headers,
            times=times,
        )
        with self._lock:
            replies = self._routes.setdefault(path, [])
            replies.insert(0, reply) if first else replies.append(reply)

    def add_repo(
        self,
        owner: str,
        name: str,
        *,
        head_sha: str,
        default_branch: str = "main",
        fork_of: str | None = None,
        visibility: str = "public",
        ci_conclusion: str | None = "success",
        repo_id: int = 1296269,
    ) -> None:
        """A whole repository: metadata, languages, head commit, owner, contributors,
        workflows and the latest run, all from the fixture payloads."""
        full = f"{owner}/{name}"
        repo = load_fixture("repos_get.json")["body"]
        repo.update(
            id=repo_id,
            name=name,
            full_name=full,
            default_branch=default_branch,
            fork=fork_of is not None,
            private=visibility != "public",
            visibility=visibility,
            html_url=f"https://github.com/{full}",
        )
        repo["owner"]["login"] = owner
        if fork_of is None:
            repo.pop("parent", None)
            repo.pop("source", None)
        else:
            repo["parent"]["full_name"] = repo["source"]["full_name"] = fork_of
        commits = load_fixture("repos_commits_list.json")["body"]
        commits[0]["sha"] = head_sha
        user = load_fixture("users_get.json")["body"]
        user["login"] = owner
        runs = load_fixture("replay_actions_runs_list_paginated.json")["body"]
        runs["workflow_runs"] = runs["workflow_runs"][:1]
        run = runs["workflow_runs"][0]
        run.update(head_branch=default_branch, head_sha=head_sha, conclusion=ci_conclusion)
        run["status"] = "completed" if ci_conclusion else "in_progress"
        run["html_url"] = f"https://github.com/{full}/actions/runs/{run['id']}"
        base = f"/repos/{full}"
        self.add(base, "repos_get.json", body=repo)
        self.add(f"/repositories/{repo_id}", "repos_get.json", body=repo)
        self.add(f"{base}/languages", "repos_languages.json")
        self.add(f"{base}/commits", "repos_commits_list.json", body=commits)
        self.add(f"/users/{owner}", "users_get.json", body=user)
        self.add(f"{base}/contributors", "repos_contributors_list.json")
        self.add(f"{base}/actions/workflows", "actions_workflows_list.json")
        self.add(f"{base}/actions/runs", "replay_actions_runs_list_paginated.json", body=runs)

    def moved(self, old_full_name: str, repo_id: int = 1296269) -> None:
        """``/repos/OLD`` answers 301 to ``/repositories/ID`` (as GitHub does on a rename)."""
        location = f"{self.url}/repositories/{repo_id}"
        body = load_fixture("error_moved_permanently_301.json")["body"]
        body["url"] = location
        self.add(
            f"/repos/{old_full_name}",
            "error_moved_permanently_301.json",
            body=body,
            headers={"Location": location},
        )

    def empty(self, full_name: str) -> None:
        self.add(f"/repos/{full_name}/commits", "error_empty_repository_409.json", first=True)

    def blocked(self, full_name: str) -> None:
        self.add(f"/repos/{full_name}", "error_repo_blocked_451.json", first=True)

    def fail(self, path: str, status: int = 502, times: int = 1) -> None:
        self.add(path, status=status, body={"message": "Server Error"}, times=times, first=True)

    def secondary_limit(self, path: str, retry_after: int, times: int = 1) -> None:
        headers = {"Retry-After": str(retry_after)}
        self.add(path, "error_rate_limit_secondary.json", headers=headers, times=times, first=True)

    def rate_limit(self, seconds: float) -> None:
        """Every request gets the primary-limit 403 until ``seconds`` from now."""
        with self._lock:
            self._limited_until = time.time() + seconds

    # -- serving -------------------------------------------------------------------------

    def _answer(self, path: str, headers: Mapping[str, str]) -> Reply:
        with self._lock:
            self.requests.append((path, dict(headers)))
            now = time.time()
            if now < self._limited_until:
                fx = load_fixture("error_rate_limit_primary.json")
                reply_headers = dict(fx["headers"])
                reply_headers["X-RateLimit-Reset"] = str(math.ceil(self._limited_until))
                return Reply(fx["status"], fx["body"], reply_headers)
            replies = self._routes.get(urlsplit(path).path, [])
            for reply in replies:
                if reply.times is None:
                    return reply
                if reply.times > 0:
                    reply.times -= 1
                    return reply
        return Reply(404, load_fixture("error_not_found.json")["body"], {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                reply = fake._answer(self.path, dict(self.headers.items()))
                payload = b"" if reply.body is None else json.dumps(reply.body).encode()
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                status = reply.status
                if status == 200:
                    etag = 'W/"' + hashlib.sha256(payload).hexdigest()[:32] + '"'
                    headers["ETag"] = etag
                    if self.headers.get("If-None-Match") == etag:
                        status, payload = 304, b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a fake GitHub API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--repo", required=True, help="OWNER/NAME")
    parser.add_argument("--head", required=True, help="40-hex SHA of the default branch")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--fork-of", default=None, help="OWNER/NAME of the parent")
    parser.add_argument("--ci", default="success", help="conclusion of the latest run")
    parser.add_argument("--rate-limit-seconds", type=float, default=0.0)
    args = parser.parse_args()
    owner, _, name = args.repo.partition("/")
    fake = FakeGitHub(args.port)
    fake.add_repo(
        owner,
        name,
        head_sha=args.head,
        default_branch=args.branch,
        fork_of=args.fork_of,
        ci_conclusion=args.ci,
    )
    if args.rate_limit_seconds:
        fake.rate_limit(args.rate_limit_seconds)
    print(f"GITHUB_API_URL={fake.url}", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
