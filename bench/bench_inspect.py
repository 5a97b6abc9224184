"""Time and measure a whole inspection of a local repository, against the clone alone and mllint.

    python bench/bench_inspect.py PATH [--runs 5] [--clone-runs N] [--warm-runs N]
                                  [--mllint PATH] [--json OUT]

PATH is a work tree or a bare git directory. Every measured run happens in a fresh Python
subprocess with a fresh, empty data directory (the warm runs share one that holds the mirror),
so nothing else is cached between runs and the peak resident memory is per run:

- review: ``reviewer.inspect.inspect_repository(PATH, Settings(data_dir=tmp,
  use_github_api=False), use_cache=False)`` - the mirror clone into the empty data dir, the
  snapshot, every finder, the report;
- warm: the review again on a mirror cloned beforehand, with the commit pinned (nothing is
  fetched): the inspection alone, which is what compares with mllint on files already on disk;
- clone: ``reviewer.git.fetch.fetch_mirror(str(PATH), key, settings, local=True)`` into an empty
  data dir - what the review cannot avoid;
- mllint (when ``mllint`` is on PATH, or given with ``--mllint``): ``mllint run -o - DIR`` on a
  temporary work tree made with ``git archive HEAD | tar -x`` (blobs missing from a partial
  snapshot are left out, with a note).

Wall times are taken by the parent around each child process (interpreter start and imports
included) and inside the child around the call itself; the medians of both are printed. Peak RSS
is ``ru_maxrss`` of the child (Python) and of its largest waited-for descendant (a git process or
the second parser process), read in the child with ``resource.getrusage``; the larger of the two
is the run's peak and the sum is an upper bound of both alive at once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MLLINT_TIMEOUT_S = 1800


# -- the child side -------------------------------------------------------------------------------


def _child(mode: str, path: str, data_dir: str) -> None:
    """Run one measured operation and print its figures as one JSON line."""
    sys.path.insert(0, str(ROOT))
    from reviewer.settings import Settings

    settings = Settings(data_dir=Path(data_dir), use_github_api=False)
    started = time.perf_counter()
    result: dict[str, Any] = {"mode": mode}
    if mode in ("review", "warm"):
        from reviewer.inspect import inspect_repository

        # warm: the mirror is already in data_dir and the commit is pinned (as when a
        # submission is reviewed again): nothing is fetched, only the inspection runs
        commit = os.environ.get("BENCH_COMMIT") if mode == "warm" else None
        report = inspect_repository(path, settings, use_cache=False, commit=commit)
        result["facts"] = len(report.facts)
        result["decided"] = sum(1 for f in report.facts.values() if f.value is not None)
        result["warnings"] = len(report.warnings)
        result["commit"] = report.commit
    elif mode == "clone":
        from reviewer.git.fetch import fetch_mirror
        from reviewer.targets import local_key

        fetched = fetch_mirror(str(path), local_key(Path(path)), settings, local=True)
        result["commit"] = fetched.head_sha
    else:
        raise SystemExit(f"unknown mode {mode}")
    result["inner_s"] = time.perf_counter() - started
    result["self_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["children_maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("BENCH-RESULT " + json.dumps(result, default=str))


# -- the parent side ------------------------------------------------------------------------------


def run_child(
    mode: str, path: Path, python: str, data_dir: str | None = None, commit: str | None = None
) -> dict[str, Any]:
    """One measured run in a fresh process, with a fresh data directory unless one is given."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{mode}-") as fresh:
        env = dict(os.environ, BENCH_COMMIT=commit or "")
        started = time.perf_counter()
        proc = subprocess.run(
            [python, str(Path(__file__).resolve()), "--child", mode, str(path), data_dir or fresh],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        wall = time.perf_counter() - started
    line = next(
        (ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH-RESULT ")),
        None,
    )
    if proc.returncode != 0 or line is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{mode} run failed (exit {proc.returncode}): " + " | ".join(tail))
    result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
    result["wall_s"] = wall
    result["peak_kb"] = max(result["self_maxrss_kb"], result["children_maxrss_kb"])
    return result


def export_tree(path: Path, dest: Path) -> list[str]:
    """Write the files of HEAD into ``dest`` (``git archive HEAD | tar -x``).

    A partial snapshot (blobs missing) makes ``git archive`` fail; then the files are written one
    by one with ``git cat-file --batch`` and the missing ones are returned.
    """
    git = ["git", f"--git-dir={git_dir_of(path)}"]
    archive = subprocess.Popen([*git, "archive", "HEAD"], stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=False)
    if archive.stdout is not None:
        archive.stdout.close()
    if archive.wait() == 0 and untar.returncode == 0:
        return []
    shutil.rmtree(dest)
    dest.mkdir()
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True
    ).stdout
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, raw_name = record.split(b"\t", 1)
        mode, kind, raw_oid = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append((raw_oid.decode(), os.fsdecode(raw_name)))
    missing: list[str] = []
    batch = subprocess.Popen(
        [*git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert batch.stdin is not None and batch.stdout is not None
    for oid, name in entries:
        batch.stdin.write(oid.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            missing.append(name)
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    batch.stdin.close()
    batch.wait()
    return missing


def git_dir_of(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def run_mllint(mllint: str, path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-mllint-") as tmp:
        tree = Path(tmp) / "checkout"
        tree.mkdir()
        missing = export_tree(path, tree)
        started = time.perf_counter()
        try:
            proc = subprocess.run(
                [mllint, "run", "-o", "-", "."],  # mllint resolves DIR against its cwd
                capture_output=True,
                text=True,
                check=False,
                timeout=MLLINT_TIMEOUT_S,
                cwd=tree,
                env=mllint_env(mllint),
            )
            code: int | str = proc.returncode
            out_tail = (proc.stdout or "").strip().splitlines()[-3:]
            err_tail = (proc.stderr or "").strip().splitlines()[-3:]
        except subprocess.TimeoutExpired:
            code, out_tail, err_tail = "timeout", [], []
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "exit": code,
        "missing_blobs": len(missing),
        "stdout_tail": out_tail,
        "stderr_tail": err_tail,
    }


def mllint_env(mllint: str) -> dict[str, str]:
    """mllint looks its linters (pylint, mypy, black, isort, bandit, dvc) up on PATH: put the
    directory of the mllint executable (its virtualenv's bin) first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(mllint).resolve().parent) + os.pathsep + env.get("PATH", "")
    return env


def find_mllint(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    found = shutil.which("mllint")
    if found:
        return found
    fallback = Path("/work/mllint-venv/bin/mllint")
    return str(fallback) if fallback.exists() else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "median_wall_s": statistics.median(r["wall_s"] for r in runs),
        "median_inner_s": statistics.median(r["inner_s"] for r in runs),
        "min_wall_s": min(r["wall_s"] for r in runs),
        "max_wall_s": max(r["wall_s"] for r in runs),
        "max_peak_mb": max(r["peak_kb"] for r in runs) / 1024,
        "median_peak_mb": statistics.median(r["peak_kb"] for r in runs) / 1024,
        "max_python_mb": max(r["self_maxrss_kb"] for r in runs) / 1024,
        "max_git_mb": max(r["children_maxrss_kb"] for r in runs) / 1024,
        "max_sum_mb": max(r["self_maxrss_kb"] + r["children_maxrss_kb"] for r in runs) / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child(argv[1], argv[2], argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a work tree or a bare git directory")
    parser.add_argument("--runs", type=int, default=5, help="review runs (default 5)")
    parser.add_argument("--clone-runs", type=int, help="clone-only runs (default: --runs)")
    parser.add_argument(
        "--warm-runs",
        type=int,
        help="runs on a mirror cloned beforehand, commit pinned: no fetch (default: --runs)",
    )
    parser.add_argument("--mllint", help="path of the mllint executable (default: on PATH)")
    parser.add_argument("--no-mllint", action="store_true", help="skip mllint")
    parser.add_argument("--mllint-runs", type=int, default=1)
    parser.add_argument("--python", default=sys.executable, help="interpreter for the children")
    parser.add_argument("--json", type=Path, help="write every figure as JSON here")
    args = parser.parse_args(argv)
    path = args.path.resolve()
    if not path.is_dir():
        parser.error(f"{path} is not a directory")

    print(f"Repository: {path}")
    reviews = []
    for i in range(args.runs):
        reviews.append(run_child("review", path, args.python))
        r = reviews[-1]
        print(
            f"  review {i + 1}: {r['wall_s']:.2f}s wall, {r['inner_s']:.2f}s in "
            f"inspect_repository, peak {r['peak_kb'] / 1024:.0f} MB "
            f"(python {r['self_maxrss_kb'] / 1024:.0f}, git {r['children_maxrss_kb'] / 1024:.0f})"
        )
    clones = []
    for i in range(args.clone_runs or args.runs):
        clones.append(run_child("clone", path, args.python))
        c = clones[-1]
        print(f"  clone {i + 1}: {c['wall_s']:.2f}s wall, {c['inner_s']:.2f}s in fetch_mirror")
    warms: list[dict[str, Any]] = []
    if args.warm_runs is None:
        args.warm_runs = args.runs
    if args.warm_runs:
        with tempfile.TemporaryDirectory(prefix="bench-warm-") as shared:
            run_child("clone", path, args.python, shared)  # the mirror the warm runs reuse
            for i in range(args.warm_runs):
                warms.append(run_child("warm", path, args.python, shared, reviews[0].get("commit")))
                w = warms[-1]
                print(
                    f"  warm {i + 1}: {w['wall_s']:.2f}s wall, {w['inner_s']:.2f}s in "
                    f"inspect_repository, peak {w['peak_kb'] / 1024:.0f} MB "
                    f"(python {w['self_maxrss_kb'] / 1024:.0f})"
                )
    review, clone = summarise(reviews), summarise(clones)
    warm = summarise(warms) if warms else None
    figures: dict[str, Any] = {
        "path": str(path),
        "commit": reviews[0].get("commit"),
        "facts": reviews[0].get("facts"),
        "decided": reviews[0].get("decided"),
        "review": review,
        "clone": clone,
        "warm": warm,
        "warm_runs": warms,
        "review_runs": reviews,
        "clone_runs": clones,
    }
    rv, cl = review["median_inner_s"], clone["median_inner_s"]
    figures["review_over_clone"] = rv / cl if cl else None
    figures["analysis_over_clone"] = (rv - cl) / cl if cl else None

    mllint = None if args.no_mllint else find_mllint(args.mllint)
    if mllint:
        mruns = [run_mllint(mllint, path) for _ in range(args.mllint_runs)]
        med = statistics.median(m["seconds"] for m in mruns)
        figures["mllint"] = {"executable": mllint, "median_s": med, "runs": mruns}
        figures["speedup_vs_mllint"] = med / review["median_wall_s"]
        figures["speedup_vs_mllint_inner"] = med / rv if rv else None
        if warm is not None:
            figures["speedup_vs_mllint_warm"] = med / warm["median_wall_s"]

    print()
    print(f"commit {figures['commit']}, {figures['facts']} facts ({figures['decided']} decided)")
    print(
        f"review  median {review['median_wall_s']:.2f}s wall per process "
        f"({review['median_inner_s']:.2f}s inside inspect_repository), "
        f"min {review['min_wall_s']:.2f}s, max {review['max_wall_s']:.2f}s over {len(reviews)} runs"
    )
    print(
        f"memory  peak RSS {review['max_peak_mb']:.0f} MB "
        f"(median {review['median_peak_mb']:.0f}); python {review['max_python_mb']:.0f} MB, "
        f"largest git child {review['max_git_mb']:.0f} MB, sum {review['max_sum_mb']:.0f} MB"
    )
    if warm is not None:
        print(
            f"warm    median {warm['median_wall_s']:.2f}s wall per process "
            f"({warm['median_inner_s']:.2f}s inside inspect_repository) on the existing mirror, "
            f"min {warm['min_wall_s']:.2f}s; peak RSS {warm['max_python_mb']:.0f} MB (python)"
        )
    print(
        f"clone   median {clone['median_wall_s']:.2f}s wall per process "
        f"({clone['median_inner_s']:.2f}s inside fetch_mirror), "
        f"peak RSS {clone['max_peak_mb']:.0f} MB"
    )
    if cl:
        print(
            f"ratios  review/clone {figures['review_over_clone']:.2f}x, "
            f"(review - clone)/clone {figures['analysis_over_clone']:.2f} (inner times)"
        )
    if "mllint" in figures:
        m = figures["mllint"]
        last = m["runs"][-1]
        note = (
            f", {last['missing_blobs']} blobs missing from the snapshot"
            if last["missing_blobs"]
            else ""
        )
        print(
            f"mllint  median {m['median_s']:.2f}s (exit {last['exit']}{note}); speed-up "
            f"{figures['speedup_vs_mllint']:.1f}x per process, "
            f"{figures['speedup_vs_mllint_inner']:.1f}x vs inspect_repository"
            + (
                f", {figures['speedup_vs_mllint_warm']:.1f}x per warm process"
                if "speedup_vs_mllint_warm" in figures
                else ""
            )
        )
    else:
        print("mllint  not installed (pass --mllint PATH to compare)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
