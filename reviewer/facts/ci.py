"""Continuous integration: which systems are configured, and whether one runs the tests.

FACTS.md: a non-empty configuration (``.github/workflows/*.yml|yaml``, ``.gitlab-ci.yml``,
``Jenkinsfile``, ``.circleci/config.yml``, ``.travis.yml``, ``azure-pipelines.yml``); a 0-byte
file or a ``.gitkeep`` is not CI. ``ci_runs_tests``: a step really invokes a test runner
(``pytest``, ``python -m unittest``, ``tox``, ``nox``, ``make test`` whose recipe does, a
script that does...) on test files — a runner in a repository without any test file runs no
tests; a step *named* "run tests" that only echoes does not count, and a configuration that
would fail still counts.

YAML is composed safely (``reviewer.facts.yamldoc``: no construction, aliases shared, node and
size caps), and only the command strings of steps are read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml

from reviewer.facts import yamldoc
from reviewer.facts.base import finder
from reviewer.facts.tests import is_test_path
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

#: Keys whose values are shell commands in the CI systems we read.
_COMMAND_KEYS = frozenset(
    {
        "run",
        "script",
        "scripts",
        "before_script",
        "after_script",
        "command",
        "commands",
        "bash",
        "pwsh",
        "powershell",
        "inlineScript",
        "install",
        "before_install",
        "after_success",
        "cmd",
    }
)
_RUNNER = re.compile(
    r"(?:^|[\s;&|(\"'`/])(?:py\.test|pytest(?:-\d)?|unittest|tox|nox|nosetests|nose2|"
    r"behave|ward)(?=$|[\s;&|)\"'`])"
    r"|\bmanage\.py\s+test\b|\bcoverage\s+run\b|\bhatch\s+(?:run\s+)?test\b"
    r"|\b(?:poetry|uv|pdm|pipenv|rye)\s+run\s+(?:python\s+-m\s+)?(?:pytest|test)\b",
    re.IGNORECASE,
)
_NOT_A_RUN = re.compile(
    r"^(?:echo|printf|print|cat|pip3?|python3?\s+-m\s+pip|uv\s+(?:pip|add|sync)|conda|mamba|"
    r"apt(?:-get)?|brew|poetry\s+(?:add|install)|pipx\s+install|npm\s+install|#|//|rem\b|"
    r"cd|export|set|mkdir|cp|mv|rm|ls|touch|curl|wget|git|docker\s+(?:build|push|login|pull)|"
    r"sed|grep|find)\b",
    re.IGNORECASE,
)
_SCRIPT_CALL = re.compile(r"^(?:bash|sh|zsh|source|\.)?\s*\.?/?([\w./-]+\.sh)\b")
_MAKE_CALL = re.compile(r"^make\s+(?:-\S+\s+)*([\w.-]+)")
_PY_TEST_FILE = re.compile(r"^python[\d.]*\s+(?:-\w\s+)*([\w./-]*test[\w./-]*\.py)\b")


@dataclass(frozen=True)
class CiFile:
    path: str
    system: str


def ci_files(snapshot: Snapshot) -> list[CiFile]:
    """Non-empty CI configuration files, with the system each belongs to."""
    out: list[CiFile] = []
    for entry in snapshot.files:
        path = entry.path
        system = _system_of(path)
        if system is None or entry.size == 0:
            continue
        text = snapshot.text(path)
        if text is None:
            out.append(CiFile(path, system))  # too large to read: a configuration still
            continue
        meaningful = [
            ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(("#", "//"))
        ]
        if meaningful:
            out.append(CiFile(path, system))
    return out


def _system_of(path: str) -> str | None:
    low = path.lower()
    name = posixpath.basename(low)
    if posixpath.dirname(low) == ".github/workflows" and name.endswith((".yml", ".yaml")):
        return "github-actions"
    if low in (".gitlab-ci.yml", ".gitlab-ci.yaml"):
        return "gitlab-ci"
    if low in (".circleci/config.yml", ".circleci/config.yaml"):
        return "circleci"
    if low in (".travis.yml", ".travis.yaml"):
        return "travis"
    if re.fullmatch(r"(?:\.azure-pipelines/.*|azure-pipelines[\w.-]*)\.ya?ml", low) or (
        "/" not in low and re.fullmatch(r"\.?azure-pipelines[\w.-]*\.ya?ml", name)
    ):
        return "azure-pipelines"
    if name == "jenkinsfile" or name.startswith("jenkinsfile."):
        return "jenkins"
    return None


# -- commands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    path: str
    line: int
    text: str


def _yaml_commands(path: str, text: str) -> Iterator[Command]:
    root = yamldoc.compose(text)
    if root is None:  # broken YAML still counts as a configuration: read it line by line
        yield from _lenient_commands(path, text)
        return
    for node in yamldoc.walk(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in _COMMAND_KEYS:
                continue
            yield from _scalars(path, value)


def _scalars(path: str, node: yaml.Node) -> Iterator[Command]:
    """Command strings under a command key: a scalar, a list of them, or {command: ...}."""
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        start = yamldoc.line_of(node) + (1 if node.style in ("|", ">") else 0)
        for offset, line in enumerate(node.value.splitlines()):
            yield Command(path, start + (offset if node.style == "|" else 0), line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                yield from _scalars(path, item)
            elif isinstance(item, yaml.MappingNode):  # CircleCI "- run: {command: ...}"
                for key in ("run", "command", "script"):
                    sub = yamldoc.mapping_get(item, key)
                    if sub is not None:
                        yield from _scalars(path, sub)
    elif isinstance(node, yaml.MappingNode):
        for key in ("command", "script", "run"):
            sub = yamldoc.mapping_get(node, key)
            if sub is not None and sub is not node:
                yield from _scalars(path, sub)


_KEY_LINE = re.compile(
    r"^(\s*)(?:-\s+)?(?:run|script|before_script|after_script|command|commands|bash|pwsh|"
    r"powershell|inlineScript)\s*:\s*(.*)$"
)


def _lenient_commands(path: str, text: str) -> Iterator[Command]:
    """Commands of a YAML file that does not parse: values of command keys, by indentation."""
    lines = text.splitlines()
    idx = 0
    while idx < len(lines):
        m = _KEY_LINE.match(lines[idx])
        idx += 1
        if m is None:
            continue
        indent, value = len(m.group(1)), m.group(2).strip()
        if value and not value.startswith(("|", ">")):
            yield Command(path, idx, value.strip("\"'"))
            continue
        while idx < len(lines):
            body = lines[idx]
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            if body.strip():
                yield Command(path, idx + 1, body.strip().removeprefix("- ").strip("\"'"))
            idx += 1


def _jenkins_commands(path: str, text: str) -> Iterator[Command]:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        m = re.search(r"\b(?:sh|bat|powershell)\s*\(?\s*(?:script\s*:\s*)?(['\"]{1,3})(.*)", line)
        if m:
            yield Command(path, number, m.group(2).rstrip("'\")"))
        elif stripped and not re.match(r"^[\w{}()\[\]]+\s*[{(]?\s*$", stripped):
            yield Command(path, number, stripped)  # lines inside a multi-line sh '''...'''


def _segments(command: str) -> Iterator[str]:
    for part in re.split(r"&&|\|\||;|\|(?!\|)", command):
        seg = part.strip().strip("\"'`")
        seg = re.sub(
            r"^(?:(?:\w+=\S*|sudo|time|exec|env|run:?|-|(?:uv|poetry|pipenv|pdm|hatch|rye)\s+run"
            r"|conda\s+run\s+(?:-n\s+\S+\s+)?)\s+)+",
            "",
            seg,
        )
        if seg:
            yield seg


class _Resolver:
    """Decides whether a command runs tests, following scripts and make targets once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.seen: set[str] = set()
        self.makefiles = [
            p
            for p in snapshot.paths
            if posixpath.basename(p).lower() in ("makefile", "gnumakefile")
        ]

    def runs_tests(self, command: str, base: str = "", depth: int = 0) -> bool:
        for seg in _segments(command):
            if _NOT_A_RUN.match(seg):
                continue
            if _RUNNER.search(seg):
                return True
            if depth >= 2:
                continue
            if (m := _PY_TEST_FILE.match(seg)) is not None:
                if self._exists(m.group(1), base):
                    return True
            if (m := _SCRIPT_CALL.match(seg)) is not None:
                if self._script_runs_tests(m.group(1), base, depth):
                    return True
            if (m := _MAKE_CALL.match(seg)) is not None:
                if self._target_runs_tests(m.group(1), depth):
                    return True
        return False

    def _exists(self, rel: str, base: str) -> bool:
        rel = rel.lstrip("./") if rel.startswith("./") else rel
        return rel in self.snapshot.by_path or (
            posixpath.normpath(posixpath.join(base, rel)) in self.snapshot.by_path
        )

    def _script_runs_tests(self, rel: str, base: str, depth: int) -> bool:
        for candidate in (rel.removeprefix("./"), posixpath.normpath(posixpath.join(base, rel))):
            if candidate in self.snapshot.by_path and candidate not in self.seen:
                self.seen.add(candidate)
                text = self.snapshot.text(candidate) or ""
                base_dir = posixpath.dirname(candidate)
                return any(
                    self.runs_tests(line, base_dir, depth + 1)
                    for line in text.splitlines()[:500]
                    if line.strip() and not line.strip().startswith("#")
                )
        return False

    def _target_runs_tests(self, target: str, depth: int) -> bool:
        for makefile in self.makefiles:
            key = f"{makefile}::{target}"
            if key in self.seen:
                continue
            self.seen.add(key)
            text = self.snapshot.text(makefile) or ""
            recipe = _make_recipe(text, target)
            if any(self.runs_tests(line, "", depth + 1) for line in recipe):
                return True
        return False


def _make_recipe(text: str, target: str) -> list[str]:
    """Recipe lines of a make target, plus the targets it depends on (one level)."""
    lines = text.splitlines()
    out: list[str] = []
    rx = re.compile(rf"^{re.escape(target)}\s*:(?!=)(.*)$")
    for idx, line in enumerate(lines):
        m = rx.match(line)
        if not m:
            continue
        deps = m.group(1).split("#")[0].split()
        out.extend(f"make {dep}" for dep in deps)
        for body in lines[idx + 1 : idx + 200]:
            if body.startswith("\t") or (body.startswith("    ") and body.strip()):
                out.append(body.strip().lstrip("@-"))
            elif body.strip():
                break
        break
    return out


def _commands(snapshot: Snapshot, files: list[CiFile]) -> Iterator[Command]:
    for ci in files:
        if snapshot.size(ci.path) > yamldoc.MAX_YAML_BYTES:
            continue
        text = snapshot.text(ci.path)
        if text is None:
            continue
        if ci.system == "jenkins":
            yield from _jenkins_commands(ci.path, text)
        else:
            yield from _yaml_commands(ci.path, text)


def _local_actions(snapshot: Snapshot, files: list[CiFile]) -> list[CiFile]:
    """Composite actions of the repository (``.github/actions/**/action.yml``) used by steps."""
    if not any(f.system == "github-actions" for f in files):
        return []
    return [
        CiFile(p, "github-actions")
        for p in snapshot.paths
        if p.startswith(".github/actions/")
        and posixpath.basename(p) in ("action.yml", "action.yaml")
    ]


@finder("has_ci", "ci_systems", "ci_runs_tests")
def find_ci(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    files = ci_files(snapshot)
    if not files:
        none = "no CI configuration (GitHub Actions, GitLab CI, CircleCI, Travis, Azure, Jenkins)"
        return {
            "has_ci": Fact(False, (), none),
            "ci_systems": Fact([], (), none),
            "ci_runs_tests": Fact(False, (), "no CI configuration"),
        }
    systems = sorted({f.system for f in files})
    evidence = tuple(f.path for f in files)
    resolver = _Resolver(snapshot)
    runs: Command | None = None
    for command in _commands(snapshot, files + _local_actions(snapshot, files)):
        if resolver.runs_tests(command.text):
            runs = command
            break
    has_test_files = any(is_test_path(p) for p in snapshot.python_files)
    if runs is not None and has_test_files:
        tests = Fact(
            True,
            (f"{runs.path}:{runs.line}",),
            f"{runs.path}:{runs.line} runs the tests ({runs.text.strip()[:80]})",
        )
    elif runs is not None:
        tests = Fact(
            False,
            (f"{runs.path}:{runs.line}",),
            f"{runs.path}:{runs.line} invokes a test runner, but the repository has no test files",
        )
    else:
        tests = Fact(False, evidence, "no CI step invokes a test runner")
    return {
        "has_ci": Fact(True, evidence, f"CI configured in {', '.join(evidence[:3])}"),
        "ci_systems": Fact(systems, evidence, f"{', '.join(systems)} configured"),
        "ci_runs_tests": tests,
    }
