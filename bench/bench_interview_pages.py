"""Latency of the interviewer dashboard and the scoring page with 10,000 candidates, under 20
concurrent clients, beside a trivial endpoint of the same app in the same run.

    python bench/bench_interview_pages.py [--candidates 10000] [--clients 20] [--requests 30]
                                          [--rounds 3] [--workers 2] [--threads 8] [--json OUT]

What it does:

1. A fresh SQLite database in a temporary directory, migrated with Alembic, is filled with
   ``--candidates`` candidates, each with a submission ready for interview; ten interviewers;
   an interview (two scorecards, rubric snapshot, scores) for 90% of the submissions, the
   past ones decided, fifty upcoming ones per interviewer. The measured interviewer has
   about ``0.18 × candidates`` interviews.
2. gunicorn (``gthread``, ``--workers`` × ``--threads``) serves ``webapp.create_app()`` plus one
   extra route, ``/bench/trivial``, which loads the signed-in user (the same session and user
   lookup every page does) and returns two bytes: the "trivial endpoint of the same app".
3. ``--clients`` threads share one logged-in session cookie and each sends ``--requests``
   GETs per endpoint and round; endpoints take turns round by round (trivial, dashboard,
   scoring page), so a slow minute of the machine hits all three alike. Every response must be
   200. Latency is the wall time of one request (connection kept alive) including the body.

It prints p50/p95 per endpoint and the ratio of each p95 to the trivial endpoint's p95 (the
target is ≤ 2). The client threads run on the same machine as the server: on 2 cores the
absolute numbers include their cost; the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "bench password 1234"
INTERVIEWERS = 10
UPCOMING_PER_INTERVIEWER = 50


# -- the app served (gunicorn imports this module and calls bench_app()) -------------------------


def bench_app() -> Any:
    from flask_login import current_user

    from webapp import create_app

    app = create_app()

    def trivial() -> str:
        return "ok" if current_user.is_authenticated else "no"

    app.add_url_rule("/bench/trivial", "bench_trivial", trivial)
    return app


# -- seeding ------------------------------------------------------------------------------------


def _report_json() -> str:
    from reviewer.report import Fact, RepoRef, Report

    facts = {
        "has_readme": Fact(True, ("README.md",), ""),
        "readme_has_results_section": Fact(True, ("README.md:30",), ""),
        "has_tests": Fact(True, ("tests/test_train.py",), ""),
        "test_file_count": Fact(3, (), ""),
        "has_ci": Fact(True, (".github/workflows/ci.yml",), ""),
        "ci_runs_tests": Fact(True, (".github/workflows/ci.yml:21",), ""),
        "metrics_computed": Fact(["f1", "roc_auc"], ("src/evaluate.py:22",), ""),
        "ml_libraries": Fact(["sklearn"], ("src/train.py:3",), ""),
        "domains": Fact(["tabular-ml"], ("src/train.py:3",), ""),
    }
    ref = RepoRef("github.com", "bench", "project")
    report = Report(ref.web_url, ref, "c" * 40, "2025-01-01T00:00:00+00:00", "bench", facts)
    return json.dumps(report.to_json())


def seed(url: str, candidates: int) -> dict[str, Any]:
    """Fill the database; returns the ids the clients need."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from reviewer import program
    from reviewer.assessment import evaluate
    from reviewer.report import Report
    from reviewer.rubrics import get_rubric
    from webapp.db import make_engine
    from webapp.interview.engine import snapshot_of
    from webapp.models import Inspection, Submission, User
    from webapp.models.interviews import CriterionScore, Interview, Scorecard

    engine = make_engine(url)
    now = datetime.now(UTC).replace(microsecond=0)
    hashed = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    report_json = _report_json()
    report = Report.from_json(json.loads(report_json))
    certs = program.CERTIFICATION_IDS
    rubrics = {c: get_rubric(c) for c in certs}
    snapshots = {c: snapshot_of(r) for c, r in rubrics.items()}
    assessments = {c: json.dumps(evaluate(report, r).to_json()) for c, r in rubrics.items()}
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {
                    "email": "staff@bench.example",
                    "name": "Staff",
                    "password_hash": hashed,
                    "role": "staff",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                },
                *(
                    {
                        "email": f"interviewer{i}@bench.example",
                        "name": f"Interviewer {i}",
                        "password_hash": hashed,
                        "role": "interviewer",
                        "active": True,
                        "session_version": 1,
                        "created_at": now,
                    }
                    for i in range(INTERVIEWERS)
                ),
            ],
        )
        conn.execute(
            insert(User),
            [
                {
                    "email": f"candidate{n}@bench.example",
                    "name": f"Candidate {n}",
                    "password_hash": hashed,
                    "role": "candidate",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                }
                for n in range(candidates)
            ],
        )
        ids = dict(conn.execute(select(User.email, User.id)).all())
        staff = ids["staff@bench.example"]
        interviewers = [ids[f"interviewer{i}@bench.example"] for i in range(INTERVIEWERS)]
        conn.execute(
            insert(Inspection),
            [
                {
                    "repo_key": "github.com/bench/project",
                    "repo_host": "github.com",
                    "repo_owner": "bench",
                    "repo_name": "project",
                    "commit_sha": "c" * 40,
                    "state": "done",
                    "report_json": report_json,
                    "error_transient": False,
                    "created_at": now,
                }
            ],
        )
        inspection = conn.execute(select(Inspection.id)).scalar_one()
        conn.execute(
            insert(Submission),
            [
                {
                    "candidate_id": ids[f"candidate{n}@bench.example"],
                    "certification": certs[n % len(certs)],
                    "repo_url": f"https://github.com/cand{n}/project",
                    "repo_key": f"github.com/cand{n}/project",
                    "repo_host": "github.com",
                    "repo_owner": f"cand{n}",
                    "repo_name": "project",
                    "commit_sha": "c" * 40,
                    "pinned_by": "github",
                    "inspection_id": inspection,
                    "state": "ready",
                    "failure_transient": False,
                    "assessment_json": assessments[certs[n % len(certs)]],
                    "rubric_version": snapshots[certs[n % len(certs)]].version,
                    "created_at": now - timedelta(days=400),
                    "updated_at": now,
                }
                for n in range(candidates)
            ],
        )
        subs = conn.execute(
            select(Submission.id, Submission.candidate_id, Submission.certification).order_by(
                Submission.id
            )
        ).all()
        with_interview = subs[: int(len(subs) * 0.9)]
        upcoming = UPCOMING_PER_INTERVIEWER * INTERVIEWERS // 2
        rows = []
        for k, (sub_id, cand_id, cert) in enumerate(with_interview):
            future = k < upcoming
            when = now + timedelta(hours=k + 1) if future else now - timedelta(hours=k)
            rows.append(
                {
                    "submission_id": sub_id,
                    "candidate_id": cand_id,
                    "certification": cert,
                    "scheduled_at": when,
                    "state": "open" if future else "decided",
                    "rubric_version": snapshots[cert].version,
                    "rubric_json": snapshots[cert].to_json(),
                    "created_by_id": staff,
                    "created_at": now,
                    "version": 1,
                }
            )
        conn.execute(insert(Interview), rows)
        interviews = conn.execute(
            select(
                Interview.id, Interview.certification, Interview.state, Interview.scheduled_at
            ).order_by(Interview.id)
        ).all()
        cards = []
        for k, (iid, _cert, state, when) in enumerate(interviews):
            for j in (0, 1):
                cards.append(
                    {
                        "interview_id": iid,
                        "interviewer_id": interviewers[(k + j * 3) % INTERVIEWERS],
                        "scheduled_at": when,
                        "state": "draft" if state == "open" else "final",
                        "overall_comment": "",
                        "recommendation": "no-decision",
                        "assigned_by_id": staff,
                        "assigned_at": now,
                        "updated_at": now,
                        "version": 1,
                        "finalised_at": None if state == "open" else now,
                    }
                )
        conn.execute(insert(Scorecard), cards)
        card_rows = conn.execute(
            select(Scorecard.id, Interview.certification, Scorecard.state).join(
                Interview, Interview.id == Scorecard.interview_id
            )
        ).all()
        scores = []
        for card_id, cert, state in card_rows:
            for c in snapshots[cert].criteria:
                scores.append(
                    {
                        "scorecard_id": card_id,
                        "criterion_id": c.id,
                        "level": None if state == "draft" else 3,
                        "candidate_note": "" if state == "draft" else "A clear explanation.",
                        "private_note": "",
                    }
                )
        for start in range(0, len(scores), 20_000):
            conn.execute(insert(CriterionScore), scores[start : start + 20_000])
        measured = interviewers[0]
        open_one = (
            conn.execute(
                select(Scorecard.interview_id)
                .join(Interview, Interview.id == Scorecard.interview_id)
                .where(Scorecard.interviewer_id == measured, Interview.state == "open")
                .order_by(Interview.scheduled_at)
            )
            .scalars()
            .first()
        )
        mine = conn.execute(select(Scorecard.id).where(Scorecard.interviewer_id == measured)).all()
    engine.dispose()
    return {
        "interviewer_email": "interviewer0@bench.example",
        "interview_id": open_one,
        "candidates": candidates,
        "interviews": len(interviews),
        "scorecards": len(cards),
        "criterion_scores": len(scores),
        "measured_interviewer_interviews": len(mine),
    }


# -- serving and measuring ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            if requests.get(base + "/auth/login", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("the server did not answer in time")


def _login(base: str, email: str) -> str:
    import requests

    session = requests.Session()
    page = session.get(base + "/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    response = session.post(base + "/auth/login", data=data, allow_redirects=False)
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {response.status_code}")
    return str(session.cookies.get("session"))


def _phase(base: str, path: str, cookie: str, clients: int, count: int) -> list[float]:
    import requests

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client() -> None:
        session = requests.Session()
        session.cookies.set("session", cookie)
        mine = []
        barrier.wait()
        for _ in range(count):
            start = time.perf_counter()
            response = session.get(base + path)
            _ = response.content
            mine.append(time.perf_counter() - start)
            if response.status_code != 200:
                failures.append(f"{path}: {response.status_code}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per client, endpoint, round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from webapp.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="bench-interview-") as tmp:
        data = Path(tmp)
        url = f"sqlite:///{data / 'reviewer.db'}"
        started = time.perf_counter()
        upgrade(url)
        facts = seed(url, args.candidates)
        print(
            f"seeded in {time.perf_counter() - started:.1f} s: {facts['candidates']} "
            f"candidates, {facts['interviews']} interviews, {facts['scorecards']} scorecards, "
            f"{facts['criterion_scores']} criterion scores; the measured interviewer has "
            f"{facts['measured_interviewer_interviews']} interviews"
        )
        port = _free_port()
        env = {
            **os.environ,
            "REVIEWER_DATA_DIR": str(data),
            "REVIEWER_DATABASE_URL": url,
            "REVIEWER_QUEUE_URL": f"sqlite:///{data / 'queue.db'}",
            "REVIEWER_SECRET_KEY": "bench-secret",
            "PYTHONPATH": str(ROOT),
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--chdir",
                str(Path(__file__).parent),
                "--pythonpath",
                str(ROOT),
                "-w",
                str(args.workers),
                "-k",
                "gthread",
                "--threads",
                str(args.threads),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "bench_interview_pages:bench_app()",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, proc)
            cookie = _login(base, facts["interviewer_email"])
            endpoints = {
                "trivial endpoint": "/bench/trivial",
                "interviewer dashboard": "/interview/",
                "scoring page": f"/interview/{facts['interview_id']}",
            }
            for path in endpoints.values():  # warm up every worker and template
                _phase(base, path, cookie, args.clients, 3)
            found: dict[str, list[float]] = {name: [] for name in endpoints}
            for _ in range(args.rounds):
                for name, path in endpoints.items():
                    found[name] += _phase(base, path, cookie, args.clients, args.requests)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    trivial_p95 = _pct(found["trivial endpoint"], 0.95)
    print(
        f"\n{args.clients} concurrent clients, gunicorn {args.workers} workers × "
        f"{args.threads} threads, SQLite\n"
    )
    print(f"{'endpoint':24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95 / trivial':>14}")
    summary = {}
    for name, values in found.items():
        p50, p95 = _pct(values, 0.5), _pct(values, 0.95)
        summary[name] = {
            "requests": len(values),
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "p95_ratio": round(p95 / trivial_p95, 2),
            "mean_ms": round(statistics.fmean(values) * 1000, 2),
        }
        print(f"{name:24} {len(values):8d} {p50:8.1f} {p95:8.1f} {p95 / trivial_p95:14.2f}")
    worst = max(s["p95_ratio"] for n, s in summary.items() if n != "trivial endpoint")
    verdict = "met" if worst <= 2 else "NOT met"
    print(f"\ntarget p95 ≤ 2 × trivial: {verdict} (worst ratio {worst})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"setup": facts, "args": vars(args) | {"json": None}, "results": summary},
                indent=2,
                default=str,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
