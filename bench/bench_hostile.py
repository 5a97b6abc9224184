"""Run ``reviewer inspect`` on every repository of the hostile corpus and judge the outcome.

    python bench/hostile_corpus.py ROOT            # build the corpus first (see that script)
    python bench/bench_hostile.py ROOT [--only NAME ...] [--via local|template] [--trace]
                                       [--timeout 60] [--max-mb 500] [--json OUT] [--keep]

Each case runs ``reviewer inspect TARGET --offline --no-cache --format json`` in a fresh process
with its own empty data directory, HOME and TMPDIR under ``ROOT/runs/<case>/`` and a time limit
(the whole process tree is killed when it passes). Measured and printed per case:

- wall time of the process (interpreter start included);
- peak RSS: ``ru_maxrss`` of the reviewer process and of every descendant it waited for (git
  included), from ``os.wait4`` - the largest single process; and the largest *sum* over the
  live process tree, sampled from ``/proc`` every 50 ms;
- outcome: ``report`` (exit 0, a JSON report), ``error`` (exit 2 with one ``reviewer: ...``
  line and no traceback), ``TIMEOUT``, or ``CRASH`` (anything else: a traceback, a signal, an
  unparseable report);
- safety: no payload marker appeared in ``ROOT/markers``; nothing in ``ROOT/sentinel`` (the
  files the corpus's symlinks and includes aim at) was read, changed, added or removed (names,
  sizes, mtimes, and atimes set 2 days back so that any read moves them on this ``relatime``
  file system); the sentinel's secret is in no output; HOME and TMPDIR are left empty.

A case fails when it runs past the time limit, its peak passes ``--max-mb``, it crashes, its
outcome differs from the one the corpus expects, or a safety check fails. ``--trace`` also runs
each case under ``strace -f`` (untimed) and lists every file opened for writing, created,
renamed or removed outside the run directory, and every path under the sentinel touched.
The exit status is 1 when any case failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
SENTINEL_SECRET = "SENTINEL-SECRET-7f3a9c"
SAMPLE_S = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
TWO_DAYS = 2 * 86400


@dataclass
class Result:
    name: str
    expect: str
    outcome: str = ""
    wall_s: float = 0.0
    peak_mb: float = 0.0  # largest single process (ru_maxrss via wait4)
    tree_mb: float = 0.0  # largest sampled sum over the live process tree
    tree_top: str = ""  # at that sample: the processes using the most memory
    exit: int | None = None
    message: str = ""
    facts_decided: int = 0
    warnings: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- the process tree ---------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree_pids(root: int) -> list[int]:
    kids = _children_map()
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(kids.get(pid, ()))
    return out


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode("utf-8", "replace") for a in argv if a and not a.startswith(b"-")]
    if words and words[0].endswith("git"):  # the subcommand, e.g. "git index-pack"
        return "git " + next((w for w in words[1:] if "=" not in w and "/" not in w), "")
    return os.path.basename(words[0]) if words else "?"


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _kill_tree(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run_measured(
    argv: list[str],
    env: dict[str, str],
    cwd: Path,
    timeout_s: float,
    out: Path,
    err: Path,
    address_space_mb: float | None = None,
) -> tuple[int | None, float, float, float, str, bool]:
    """Run ``argv``; return (exit status or -signal, wall s, peak MB, tree-sum MB, the largest
    processes at the tree's peak, timed out). ``address_space_mb`` sets ``RLIMIT_AS`` on the
    process and its children (each process alone), as ``ulimit -v`` would."""

    def limit() -> None:
        if address_space_mb:
            size = int(address_space_mb * 1e6)
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    started = time.monotonic()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=fo, stderr=fe, preexec_fn=limit,
                                stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    tree_peak = 0
    tree_top = ""
    timed_out = False
    status: int | None = None
    usage = None
    while True:
        pid, raw, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            status, usage = raw, ru
            break
        sizes = {p: _rss_bytes(p) for p in _tree_pids(proc.pid)}
        if sum(sizes.values()) > tree_peak:
            tree_peak = sum(sizes.values())
            top = sorted(sizes, key=lambda p: -sizes[p])[:3]
            tree_top = ", ".join(f"{_comm(p)} {sizes[p] / 1e6:.0f}" for p in top if sizes[p])
        if time.monotonic() - started > timeout_s:
            timed_out = True
            for _ in range(3):  # the tree may fork while we kill it
                _kill_tree(_tree_pids(proc.pid))
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            _, raw, ru = os.wait4(proc.pid, 0)
            status, usage = raw, ru
            break
        time.sleep(SAMPLE_S)
    wall = time.monotonic() - started
    proc.returncode = 0  # reaped by wait4: keep Popen from waiting again
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    peak = (usage.ru_maxrss * 1024 if usage else 0) / 1e6
    return code, wall, peak, tree_peak / 1e6, tree_top, timed_out


# -- the safety checks --------------------------------------------------------------------------


def age_sentinel(sentinel: Path) -> None:
    """Move every atime 2 days back (and mtime 1 day): any later read moves the atime on."""
    now = time.time()
    for path in [sentinel, *sentinel.rglob("*")]:
        os.utime(path, (now - TWO_DAYS, now - TWO_DAYS / 2), follow_symlinks=False)


def sentinel_state(sentinel: Path) -> dict[str, tuple[int, int, int]]:
    state = {}
    for path in [sentinel, *sentinel.rglob("*")]:
        st = path.lstat()
        state[str(path.relative_to(sentinel))] = (st.st_size, st.st_mtime_ns, st.st_atime_ns)
    return state


def _diff(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> str:
    changes = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if a is None or b is None:
            changes.append(f"{name} {'added' if a is None else 'removed'}")
        elif a[:2] != b[:2]:
            changes.append(f"{name} changed")
        else:
            changes.append(f"{name} read (atime moved)")
    return ", ".join(changes)


def _leftovers(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


# -- one case -----------------------------------------------------------------------------------


def inspect_argv(target: str) -> list[str]:
    code = "import sys; from reviewer.cli import main; main(sys.argv[1:])"
    return [sys.executable, "-c", code, "inspect", target, "--offline", "--no-cache",
            "--format", "json"]  # fmt: skip


def case_env(run: Path, root: Path, via: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(run / "home"),
        "TMPDIR": str(run / "tmp"),
        "XDG_DATA_HOME": str(run / "home" / ".local" / "share"),
        "XDG_CACHE_HOME": str(run / "home" / ".cache"),
        "PYTHONPATH": str(CHECKOUT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "REVIEWER_DATA_DIR": str(run / "data"),
        "REVIEWER_OFFLINE": "1",
    }
    if via == "template":
        env["REVIEWER_CLONE_URL_TEMPLATE"] = str(root / "repos" / "{name}.git")
    return env


def run_case(row: dict[str, str], root: Path, args: argparse.Namespace) -> Result:
    name = row["name"]
    result = Result(name, row["expect"])
    run = root / "runs" / name
    shutil.rmtree(run, ignore_errors=True)
    for sub in ("home", "tmp", "data"):
        (run / sub).mkdir(parents=True)
    target = row["git_dir"] if args.via == "local" else f"https://github.com/hostile/{name}"
    sentinel = root / "sentinel"
    markers = root / "markers"
    age_sentinel(sentinel)
    before = sentinel_state(sentinel)
    markers_before = set(_leftovers(markers))
    env = case_env(run, root, args.via)
    out, err = run / "stdout.json", run / "stderr.txt"
    code, wall, peak, tree, top, timed_out = run_measured(
        inspect_argv(target), env, run, args.timeout, out, err, args.ulimit_mb
    )
    result.exit, result.wall_s, result.peak_mb, result.tree_mb = code, wall, peak, tree
    result.tree_top = top
    stdout = out.read_bytes()
    stderr = err.read_bytes().decode("utf-8", "replace")
    result.outcome, result.message = _judge(code, timed_out, stdout, stderr, result)
    # safety
    if timed_out:
        result.problems.append(f"ran past {args.timeout:g} s")
    if result.outcome == "CRASH":
        result.problems.append("crashed")
    elif result.outcome != "TIMEOUT" and result.outcome != row["expect"]:
        result.problems.append(f"expected {row['expect']}")
    if max(peak, tree) > args.max_mb:
        result.problems.append(f"peak {max(peak, tree):.0f} MB > {args.max_mb} MB")
    new_markers = set(_leftovers(markers)) - markers_before
    if new_markers:
        result.problems.append(f"PAYLOAD RAN: {sorted(new_markers)}")
    changed = _diff(before, sentinel_state(sentinel))
    if changed:
        result.problems.append(f"sentinel touched: {changed}")
    if SENTINEL_SECRET.encode() in stdout or SENTINEL_SECRET in stderr:
        result.problems.append("sentinel secret in the output")
    for sub in ("home", "tmp"):
        left = _leftovers(run / sub)
        if left:
            result.problems.append(f"{sub} not empty: {left[:3]}")
    if args.trace:
        result.problems += trace_case(target, env, run, root, args)
    if not args.keep:
        shutil.rmtree(run / "data", ignore_errors=True)
    return result


def _judge(
    code: int | None, timed_out: bool, stdout: bytes, stderr: str, result: Result
) -> tuple[str, str]:
    if timed_out:
        return "TIMEOUT", ""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if "Traceback (most recent call last)" in stderr:
        return "CRASH", next((ln for ln in reversed(lines) if ln.strip()), "")[:200]
    if code == 0:
        try:
            report = json.loads(stdout)
        except ValueError as err:
            return "CRASH", f"unparseable report: {err}"
        facts = report.get("facts", {})
        result.facts_decided = sum(1 for f in facts.values() if f.get("value") is not None)
        result.warnings = len(report.get("warnings", []))
        return "report", f"{result.facts_decided}/{len(facts)} facts decided"
    if code == 2 and lines and all(ln.startswith("reviewer: ") for ln in lines[-1:]):
        return "error", lines[-1].removeprefix("reviewer: ")[:300]
    what = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
    return "CRASH", f"{what}: {lines[-1][:200] if lines else ''}"


# -- strace pass --------------------------------------------------------------------------------

WRITE_CALLS = frozenset(
    """mkdir mkdirat rename renameat renameat2 unlink unlinkat rmdir symlink symlinkat link linkat
    truncate creat chmod fchmodat chown fchownat lchown utime utimes utimensat futimesat mknod
    mknodat""".split()
)
ALLOWED_WRITES = ("/dev/null", "/dev/tty", "/proc/self/", "/dev/shm/")


def trace_case(
    target: str, env: dict[str, str], run: Path, root: Path, args: argparse.Namespace
) -> list[str]:
    if shutil.which("strace") is None:
        return ["--trace: strace is not installed"]
    shutil.rmtree(run / "data", ignore_errors=True)
    (run / "data").mkdir()
    log = run / "strace.txt"
    argv = ["strace", "-f", "-qq", "-s", "4096", "-o", str(log), "-e", "trace=%file",
            *inspect_argv(target)]  # fmt: skip
    subprocess.run(argv, env=env, cwd=run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=args.timeout * 20, check=False)  # fmt: skip
    sentinel = str(root / "sentinel")
    allowed = (str(run) + "/", *ALLOWED_WRITES)
    problems = []
    for line in log.read_text("utf-8", "replace").splitlines():
        if "= -1" in line:  # failed calls changed nothing
            continue
        quoted = line.split('"')
        paths = quoted[1::2]
        if any(p.startswith(sentinel) for p in paths):
            problems.append(f"strace: sentinel touched: {line[:200]}")
            continue
        call = line.split("(", 1)[0].split()[-1] if "(" in line else ""
        writes = call in WRITE_CALLS or (
            call.startswith("open") and any(f in line for f in ("O_WRONLY", "O_RDWR", "O_CREAT"))
        )
        if not writes:
            continue
        for p in paths[:2]:
            if p.startswith("/") and not p.startswith(allowed) and p != str(run):
                problems.append(f"strace: write outside the run: {line[:200]}")
                break
    if not args.keep:
        log.unlink(missing_ok=True)
    return problems[:10]


# -- driver -------------------------------------------------------------------------------------


def print_table(results: list[Result]) -> None:
    head = f"{'case':24s} {'expect':7s} {'outcome':8s} {'wall s':>7s} {'peak MB':>8s} " \
           f"{'tree MB':>8s}  {'verdict':7s} detail"  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in results:
        verdict = "ok" if r.ok else "FAIL"
        detail = "; ".join(r.problems) if r.problems else r.message
        print(f"{r.name:24s} {r.expect:7s} {r.outcome:8s} {r.wall_s:7.1f} {r.peak_mb:8.0f} "
              f"{r.tree_mb:8.0f}  {verdict:7s} {detail[:160]}")  # fmt: skip
        if r.problems and r.message:
            print(f"{'':24s} -> {r.message[:200]}")
        if r.problems and r.tree_top and max(r.peak_mb, r.tree_mb) > 200:
            print(f"{'':24s} -> largest processes (MB): {r.tree_top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the directory hostile_corpus.py built")
    parser.add_argument("--only", nargs="+", metavar="NAME")
    parser.add_argument("--skip", nargs="+", metavar="NAME", default=[])
    parser.add_argument(
        "--via",
        choices=["local", "template"],
        default="local",
        help="inspect the path itself, or a github.com URL through a template",
    )
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--max-mb", type=float, default=500.0)
    parser.add_argument("--ulimit-mb", type=float, help="also cap each process's address space")
    parser.add_argument("--trace", action="store_true", help="also run each case under strace")
    parser.add_argument("--keep", action="store_true", help="keep each run's data directory")
    parser.add_argument("--json", type=Path, help="write the results as JSON")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    rows = json.loads((root / "corpus.json").read_text())
    rows = [
        r for r in rows if (not args.only or r["name"] in args.only) and r["name"] not in args.skip
    ]
    if shutil.disk_usage(root).free < 4 * 1024**3:
        print("warning: less than 4 GiB free; the large cases fetch up to 1 GB", file=sys.stderr)
    results = []
    for row in rows:
        r = run_case(row, root, args)
        results.append(r)
        print(f"{r.name:24s} {r.outcome:8s} {r.wall_s:6.1f} s {max(r.peak_mb, r.tree_mb):6.0f} MB"
              f"  {'ok' if r.ok else 'FAIL: ' + '; '.join(r.problems)}", flush=True)  # fmt: skip
    print()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
