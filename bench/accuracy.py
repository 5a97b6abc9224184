"""Measure the fact finders against hand-labelled real repositories.

    python bench/accuracy.py [--corpus /work/corpus] [--repo SLUG] [--fact NAME] [--json OUT]

The corpus directory holds ``repos.json`` (``[{"slug", "git_dir", "kind"}]``) and
``labels/<owner>__<name>.json`` (``{"commit", "facts": {...}, "notes": {...}, "unknown": [...]}``).
Each repository's git directory is opened read-only (``ObjectStore`` + ``Snapshot``, nothing is
checked out or fetched), the finders run at the labelled commit, and every labelled fact is
compared with what they found:

- booleans, enums, ints, strings and dates: exact equality (dates on the calendar day);
- lists: exact set equality, plus micro-averaged precision and recall over all repositories.

A fact the finders leave undecided (``None``) while the label has a value is a disagreement
(counted as "undecided" too). Facts listed under ``unknown`` in a label file are skipped.
Prints a per-fact agreement table and every disagreement with the label's note and the
finder's evidence and reason. Exit status 0, or 1 with ``--fail-under PCT`` when some fact's
agreement is below PCT.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reviewer.facts.base import run_finders  # noqa: E402
from reviewer.facts.registry import FINDERS  # noqa: E402
from reviewer.git.store import ObjectStore  # noqa: E402
from reviewer.report import Fact, RepoRef  # noqa: E402
from reviewer.snapshot import Snapshot  # noqa: E402

DEFAULT_CORPUS = Path("/work/corpus")


@dataclass
class FactScore:
    """Agreement of one fact over the corpus."""

    compared: int = 0
    agreed: int = 0
    undecided: int = 0
    # list facts only: item-level counts
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    is_list: bool = False

    @property
    def agreement(self) -> float:
        return 100.0 * self.agreed / self.compared if self.compared else float("nan")

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return 100.0 * self.true_pos / found if found else float("nan")

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return 100.0 * self.true_pos / wanted if wanted else float("nan")


@dataclass(frozen=True)
class Disagreement:
    slug: str
    fact: str
    expected: Any
    got: Any
    evidence: tuple[str, ...]
    reason: str
    label_note: str


@dataclass
class RepoResult:
    slug: str
    commit: str
    seconds: float
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def normalise(value: Any) -> Any:
    """A comparable form of a label or finder value."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(str(v) for v in value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        head = value[:10]
        if head.replace("-", "").isdigit():
            return head
    return value


def agrees(expected: Any, got: Any) -> bool:
    exp, found = normalise(expected), normalise(got)
    if isinstance(exp, bool) or isinstance(found, bool):
        return exp is found or (type(exp) is type(found) and exp == found)
    return bool(exp == found)


def load_corpus(corpus: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(repo entry, label) pairs, in repos.json order; repos without labels are skipped."""
    repos = json.loads((corpus / "repos.json").read_text())
    pairs = []
    for entry in repos:
        label_path = corpus / "labels" / (entry["slug"].replace("/", "__") + ".json")
        if not label_path.exists():
            print(f"note: no label file for {entry['slug']}; skipped", file=sys.stderr)
            continue
        pairs.append((entry, json.loads(label_path.read_text())))
    return pairs


def inspect_at(
    git_dir: Path, commit: str, home: Path, slug: str | None = None
) -> tuple[dict[str, Fact], list[str]]:
    """Run every finder on ``git_dir`` at ``commit``; nothing is written to the git dir.
    ``slug`` (``owner/name``) gives the finders the repository's address, as an inspection
    of a GitHub URL does."""
    ref = RepoRef("github.com", *slug.split("/", 1)) if slug and "/" in slug else None
    with ObjectStore(git_dir, home) as store:
        sha = store.resolve(commit)
        snapshot = Snapshot(store, sha, store.tree(sha), store.history(sha), ref=ref)
        facts, warnings, _timings = run_finders(FINDERS, snapshot)
        messages = [f"{w.code}: {w.message}" for w in [*warnings, *snapshot.warnings]]
    return facts, messages


def compare(
    slug: str,
    label: dict[str, Any],
    facts: dict[str, Fact],
    scores: dict[str, FactScore],
    only: set[str] | None,
) -> list[Disagreement]:
    disagreements = []
    skipped = set(label.get("unknown") or ())
    notes = label.get("notes") or {}
    for name, expected in label["facts"].items():
        if name in skipped or (only and name not in only):
            continue
        fact = facts.get(name) or Fact(None, (), "no finder produced this fact")
        score = scores.setdefault(name, FactScore())
        score.compared += 1
        if isinstance(expected, list):
            score.is_list = True
            if fact.value is not None:
                want, found = normalise(expected), normalise(fact.value)
                if isinstance(found, frozenset):
                    score.true_pos += len(want & found)
                    score.false_pos += len(found - want)
                    score.false_neg += len(want - found)
                else:
                    score.false_neg += len(want)
            else:
                score.false_neg += len(expected)
        if fact.value is None and expected is not None:
            score.undecided += 1
        if agrees(expected, fact.value):
            score.agreed += 1
            continue
        disagreements.append(
            Disagreement(
                slug,
                name,
                expected,
                fact.value,
                tuple(fact.evidence),
                fact.reason,
                str(notes.get(name, "")),
            )
        )
    return disagreements


def show(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return json.dumps(value) if not isinstance(value, str) else value


def list_diff(expected: Any, got: Any) -> str:
    if not isinstance(expected, list) or got is None:
        return ""
    want, found = normalise(expected), normalise(got)
    if not isinstance(found, frozenset):
        return ""
    parts = []
    if found - want:
        parts.append("extra " + show(found - want))
    if want - found:
        parts.append("missing " + show(want - found))
    return " (" + "; ".join(parts) + ")" if parts else ""


def finite(x: float) -> float | None:
    """The number, or None for NaN (no data), so the JSON stays strict."""
    return None if x != x else round(x, 2)


def fmt_pct(x: float) -> str:
    return "  -  " if x != x else f"{x:5.1f}"  # NaN check


def print_table(scores: dict[str, FactScore], order: Iterable[str]) -> None:
    print(f"{'fact':32} {'agree':>7} {'n':>4} {'undec':>5} {'prec%':>6} {'rec%':>6}")
    for name in order:
        if name not in scores:
            continue
        s = scores[name]
        prec = fmt_pct(s.precision) if s.is_list else "     "
        rec = fmt_pct(s.recall) if s.is_list else "     "
        print(
            f"{name:32} {fmt_pct(s.agreement):>6}% {s.compared:>4} {s.undecided:>5} "
            f"{prec:>6} {rec:>6}"
        )
    total_c = sum(s.compared for s in scores.values())
    total_a = sum(s.agreed for s in scores.values())
    if total_c:
        print(f"{'ALL FACTS':32} {100.0 * total_a / total_c:6.1f}% {total_c:>4}")


def print_disagreements(items: Sequence[Disagreement], max_evidence: int) -> None:
    if not items:
        print("\nNo disagreements.")
        return
    print(f"\n{len(items)} disagreements (label = expected, finder = got):")
    for d in sorted(items, key=lambda d: (d.fact, d.slug)):
        print(f"\n- {d.slug} :: {d.fact}")
        print(f"    expected {show(d.expected)}   got {show(d.got)}{list_diff(d.expected, d.got)}")
        if d.reason:
            print(f"    finder reason: {d.reason}")
        if d.evidence:
            ev = list(d.evidence[:max_evidence])
            more = len(d.evidence) - len(ev)
            print("    evidence: " + ", ".join(ev) + (f" (+{more} more)" if more > 0 else ""))
        if d.label_note:
            print(f"    label note: {d.label_note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repo", action="append", help="only this slug (repeatable)")
    parser.add_argument("--fact", action="append", help="only this fact (repeatable)")
    parser.add_argument("--json", type=Path, help="write scores and disagreements as JSON here")
    parser.add_argument("--max-evidence", type=int, default=4)
    parser.add_argument("--fail-under", type=float, help="exit 1 if a fact's agreement is lower")
    args = parser.parse_args(argv)

    pairs = load_corpus(args.corpus)
    if args.repo:
        pairs = [(e, lab) for e, lab in pairs if e["slug"] in set(args.repo)]
    only = set(args.fact) if args.fact else None
    scores: dict[str, FactScore] = {}
    disagreements: list[Disagreement] = []
    results: list[RepoResult] = []
    fact_order: list[str] = []
    with tempfile.TemporaryDirectory(prefix="accuracy-home-") as home:
        for entry, label in pairs:
            for name in label["facts"]:
                if name not in fact_order:
                    fact_order.append(name)
            started = time.perf_counter()
            try:
                facts, warnings = inspect_at(
                    Path(entry["git_dir"]), label["commit"], Path(home), entry["slug"]
                )
            except Exception as err:  # noqa: BLE001 - report and go on with the next repo
                results.append(
                    RepoResult(entry["slug"], label["commit"], 0.0, f"{type(err).__name__}: {err}")
                )
                print(f"error: {entry['slug']}: {type(err).__name__}: {err}", file=sys.stderr)
                continue
            seconds = time.perf_counter() - started
            results.append(RepoResult(entry["slug"], label["commit"], seconds, None, warnings))
            disagreements += compare(entry["slug"], label, facts, scores, only)

    print(f"Corpus {args.corpus}: {len(results)} repositories\n")
    for r in results:
        status = r.error or f"{r.seconds:.2f}s, {len(r.warnings)} warnings"
        print(f"  {r.slug:55} {r.commit[:10]}  {status}")
    print()
    print_table(scores, fact_order)
    print_disagreements(disagreements, args.max_evidence)

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "repos": [r.__dict__ for r in results],
                    "scores": {
                        k: {
                            "agreement": finite(v.agreement),
                            "compared": v.compared,
                            "agreed": v.agreed,
                            "undecided": v.undecided,
                            "precision": finite(v.precision) if v.is_list else None,
                            "recall": finite(v.recall) if v.is_list else None,
                        }
                        for k, v in scores.items()
                    },
                    "disagreements": [
                        {
                            "repo": d.slug,
                            "fact": d.fact,
                            "expected": d.expected,
                            "got": sorted(d.got) if isinstance(d.got, (list, tuple)) else d.got,
                            "evidence": list(d.evidence),
                            "reason": d.reason,
                            "label_note": d.label_note,
                        }
                        for d in disagreements
                    ],
                },
                indent=2,
                default=str,
            )
            + "\n"
        )
    if args.fail_under is not None:
        low = [k for k, v in scores.items() if v.compared and v.agreement < args.fail_under]
        if low:
            print(f"\nBelow {args.fail_under}%: {', '.join(low)}")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
