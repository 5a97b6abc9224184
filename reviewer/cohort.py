"""Reviewing a cohort: many candidates' repositories for one certification.

Input is a CSV with the columns ``candidate`` and ``url``. Each candidate gets a directory
``OUT/<safe name>/`` holding ``report.json``, ``review.json`` and the sheet; ``OUT/summary.csv``
has one row per candidate (commit, suggested levels, red flags, status). One failing repository
never stops the others: its row says why. On a rerun, a candidate whose stored review is for
the same commit, certification and rubric version is skipped (the inspection's own cache makes
resolving the pin cheap: only the fetch runs, not the fact finders).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from reviewer.errors import BadTargetError, ReviewerError
from reviewer.settings import Settings

SUMMARY = "summary.csv"
#: Modules the worker processes' fork server imports once, before forking workers.
WORKER_PRELOAD = ("reviewer.inspect", "reviewer.review", "reviewer.render", "reviewer.rubrics")
FIXED_COLUMNS = ("candidate", "url", "commit", "status", "red_flags", "error")


@dataclass(frozen=True)
class Entry:
    line: int  # in the CSV file, for messages
    candidate: str
    url: str


@dataclass(frozen=True)
class Outcome:
    candidate: str
    url: str
    status: str  # reviewed | skipped | failed
    commit: str = ""
    levels: dict[str, int] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()
    error: str = ""
    directory: str = ""


def safe_name(candidate: str) -> str:
    """A file-system-safe, stable directory name: an ASCII slug plus a short hash of the name
    (so that "Anna Müller" and "Anna Muller" never share a directory)."""
    ascii_ = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60] or "candidate"
    digest = hashlib.sha256(" ".join(candidate.split()).casefold().encode("utf-8")).hexdigest()
    return f"{slug}-{digest[:8]}"


def read_entries(text: str) -> tuple[list[Entry], list[str]]:
    """Rows of the cohort CSV, and one message per unusable row (with its line)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or ()}
    if "candidate" not in columns or "url" not in columns:
        raise BadTargetError("The CSV needs a header with the columns candidate and url.")
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        name = " ".join((row.get(columns["candidate"]) or "").split())
        url = (row.get(columns["url"]) or "").strip()
        if not name and not url:
            continue
        if not name or not url:
            problems.append(f"line {line}: needs both a candidate and a url")
            continue
        key = name.casefold()
        if key in seen:
            problems.append(f"line {line}: {name!r} is listed again (first on line {seen[key]})")
            continue
        seen[key] = line
        entries.append(Entry(line, name, url))
    return entries, problems


def review_one(
    entry: Entry, certification: str, out_dir: Path, sheet_suffix: str, settings: Settings
) -> Outcome:
    """Inspect, assess and write one candidate's files; never raises for a bad repository."""
    from reviewer.inspect import inspect_repository
    from reviewer.render import write_sheet
    from reviewer.review import build_review
    from reviewer.rubrics import get_rubric

    directory = out_dir / safe_name(entry.candidate)
    base = Outcome(entry.candidate, entry.url, "failed", directory=directory.name)
    try:
        rubric = get_rubric(certification, settings)
        report = inspect_repository(entry.url, settings)
        stored = _stored(directory / "review.json")
        sheet_path = directory / f"sheet{sheet_suffix}"
        if (
            stored.get("commit") == report.commit
            and stored.get("certification") == rubric.id
            and stored.get("rubric_version") == rubric.version
            and stored.get("candidate") == entry.candidate
            and sheet_path.exists()
        ):
            return _from_stored(base, stored, "skipped")
        review = build_review(report, rubric, entry.candidate)
        directory.mkdir(parents=True, exist_ok=True)
        _write_json(directory / "report.json", report.to_json())
        write_sheet(review, sheet_path)
        data = review.to_json()
        data.pop("report")  # stored beside it
        _write_json(directory / "review.json", data)  # last: its presence means "done"
        return _from_stored(base, data, "reviewed")
    except ReviewerError as err:
        return _failed(base, str(err))
    except OSError as err:
        return _failed(base, f"could not write the files ({err.strerror or err})")
    except Exception as err:  # a bug must not stop the cohort; the row says what happened
        return _failed(base, f"unexpected {type(err).__name__}: {err}")


def _failed(base: Outcome, message: str) -> Outcome:
    return Outcome(
        base.candidate,
        base.url,
        "failed",
        error=" ".join(message.split()),
        directory=base.directory,
    )


def _stored(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _from_stored(base: Outcome, data: dict[str, Any], status: str) -> Outcome:
    return Outcome(
        candidate=base.candidate,
        url=base.url,
        status=status,
        commit=str(data.get("commit", "")),
        levels={c["id"]: int(c["suggested_level"]) for c in data.get("criteria", ())},
        red_flags=tuple(f["code"] for f in data.get("red_flags", ())),
        directory=base.directory,
    )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def run_cohort(
    entries: Sequence[Entry],
    certification: str,
    out_dir: Path,
    settings: Settings,
    *,
    jobs: int = 1,
    sheet_suffix: str = ".html",
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Review every entry, ``jobs`` processes at a time; outcomes in the entries' order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[int, Outcome] = {}
    for index, outcome in _outcomes(entries, certification, out_dir, sheet_suffix, settings, jobs):
        results[index] = outcome
        if on_done is not None:
            on_done(outcome)
    return [results[i] for i in range(len(entries))]


def _outcomes(
    entries: Sequence[Entry],
    certification: str,
    out_dir: Path,
    sheet_suffix: str,
    settings: Settings,
    jobs: int,
) -> Iterator[tuple[int, Outcome]]:
    if jobs <= 1 or len(entries) <= 1:
        for i, entry in enumerate(entries):
            yield i, review_one(entry, certification, out_dir, sheet_suffix, settings)
        return
    # "forkserver": workers are forked from a clean single-threaded server (no inherited
    # threads or locks from this process) that has already imported the engine.
    context = get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {
            pool.submit(review_one, entry, certification, out_dir, sheet_suffix, settings): i
            for i, entry in enumerate(entries)
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except Exception as err:  # the worker process itself died
                e = entries[i]
                yield (
                    i,
                    Outcome(
                        e.candidate,
                        e.url,
                        "failed",
                        error=f"worker failed: {err}",
                        directory=safe_name(e.candidate),
                    ),
                )


def write_summary(path: Path, outcomes: Sequence[Outcome], criteria: Sequence[str]) -> None:
    """One row per candidate: the fixed columns, then one column per criterion's level."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *criteria, "directory"])
    for o in outcomes:
        levels = [str(o.levels[c]) if c in o.levels else "" for c in criteria]
        writer.writerow(
            [
                o.candidate,
                o.url,
                o.commit,
                o.status,
                ";".join(o.red_flags),
                o.error,
                *levels,
                o.directory,
            ]
        )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)
