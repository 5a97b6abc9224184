"""Dependency declarations: which files declare Python packages, and whether they pin them.

``declared_requirements(snapshot)`` is the one parser of every declaration format the facts
need (requirements files with ``-r`` includes, pyproject for PEP 621 / Poetry / dependency
groups, setup.py literal lists, setup.cfg, conda environment files with their ``pip:`` part,
Pipfile); other finders use it to compare what is declared with what is imported.

FACTS.md: the candidate's own files only — not what MLflow writes inside logged models
(``mlruns/**``, a directory holding an ``MLmodel`` file), not vendored trees, not ``dvc.lock``.
``deps_pinned`` is ``all`` when every declared package has an exact pin or a lock file pins
them (poetry/uv/Pipfile/pdm lock, conda-lock, a complete pip-freeze), ``some``/``none``
otherwise, ``n/a`` without declarations.
"""

from __future__ import annotations

import ast
import posixpath
import re
import tomllib
import warnings
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from reviewer.facts import yamldoc
from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot


@dataclass(frozen=True)
class Requirement:
    """One declared package: normalised PyPI name, its version spec, where it is declared."""

    name: str  # PEP 503 normalised: lower case, runs of -_. become "-"
    spec: str  # the version part as written ("==1.2.3", ">=2", "=1.21" for conda, "" if none)
    path: str
    line: int
    pinned: bool  # exactly one version allowed


@dataclass(frozen=True)
class Declarations:
    """Everything the dependency finder learned from one snapshot."""

    files: tuple[str, ...]  # dependency files (sorted), lock files included
    locks: tuple[str, ...]  # files that pin the whole environment
    requirements: tuple[Requirement, ...]


# -- file selection -------------------------------------------------------------------------

_REQUIREMENTS_NAME = re.compile(r"(?:.*[-_.])?requirements?(?:[-_.].*)?\.txt", re.IGNORECASE)
_ENV_YAML_NAME = re.compile(r".*environment.*\.ya?ml", re.IGNORECASE)
_CONDA_YAML_NAME = re.compile(r".*(?:conda|env).*\.ya?ml", re.IGNORECASE)
_CONDA_LOCK_NAME = re.compile(r"(?:.*\.)?conda-lock\.ya?ml|conda-.*\.lock", re.IGNORECASE)
_LOCK_NAMES = frozenset({"poetry.lock", "uv.lock", "pipfile.lock", "pdm.lock"})
_PLAIN_NAMES = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "pipfile"})
_MLFLOW_DIRS = frozenset({"mlruns", "mlartifacts"})
_NOT_PACKAGES = frozenset({"python", "pip"})  # conda lines naming the interpreter / installer
_MAX_DEP_BYTES = 1_000_000


def _excluded_dirs(snapshot: Snapshot) -> frozenset[str]:
    """Directories whose files MLflow wrote (those holding an ``MLmodel`` file)."""
    return frozenset(
        posixpath.dirname(p) for p in snapshot.paths if posixpath.basename(p) == "MLmodel"
    )


def _is_excluded(path: str, model_dirs: frozenset[str]) -> bool:
    parts = path.split("/")[:-1]
    if any(part in _MLFLOW_DIRS for part in parts):
        return True
    return any("/".join(parts[: i + 1]) in model_dirs for i in range(len(parts)))


def _candidate_kind(path: str) -> str | None:
    """The declaration format a path's name suggests, or None."""
    name = posixpath.basename(path)
    low = name.lower()
    parent = posixpath.basename(posixpath.dirname(path)).lower()
    if low in _LOCK_NAMES:
        return "lock"
    if _CONDA_LOCK_NAME.fullmatch(name):
        return "lock"
    if low in _PLAIN_NAMES:
        return low
    if _REQUIREMENTS_NAME.fullmatch(name) or (
        parent in ("requirements", "requirement") and low.endswith(".txt")
    ):
        return "requirements"
    if _CONDA_YAML_NAME.fullmatch(name):
        return "conda"
    return None


# -- requirement lines (PEP 508 and pip's requirements format) ------------------------------

_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$")
_EXACT = re.compile(r"^\s*\(?\s*===?\s*[^\s,*;<>=!~()]+\s*\)?\s*$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^git\+|^(?:\.{1,2}/|/|~)", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """PEP 503 normalisation: ``Scikit_Learn`` -> ``scikit-learn``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pep508(text: str) -> tuple[str, str] | None:
    """(name, spec) of a PEP 508 requirement; None for URLs, paths and unparsable text."""
    text = text.split(";", 1)[0].strip()
    if not text or _URL.match(text):
        return None
    m = _NAME.match(text)
    if m is None:
        return None
    name, _extras, rest = m.groups()
    rest = rest.strip()
    if rest.startswith("@"):  # direct reference: name @ url
        return normalise_name(name), rest
    if rest and not re.match(r"^[(<>=!~]", rest):
        return None
    return normalise_name(name), rest.replace(" ", "")


def _is_exact(spec: str) -> bool:
    return bool(_EXACT.match(spec))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, joined text) with backslash continuations joined, comments cut."""
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buf:
            start = number
        line = raw
        if line.rstrip().endswith("\\"):
            buf.append(line.rstrip()[:-1])
            continue
        buf.append(line)
        joined = " ".join(buf)
        buf = []
        yield start, re.sub(r"(^|\s)#.*$", "", joined).strip()
    if buf:
        yield start, re.sub(r"(^|\s)#.*$", "", " ".join(buf)).strip()


# -- the parser ------------------------------------------------------------------------------


class _Collector:
    """Parses dependency files of one snapshot, following ``-r`` includes once each."""

    def __init__(self, snapshot: Snapshot, model_dirs: frozenset[str]) -> None:
        self.snapshot = snapshot
        self.model_dirs = model_dirs
        self.files: set[str] = set()
        self.locks: set[str] = set()
        self.requirements: list[Requirement] = []
        self._parsed: set[str] = set()

    def text(self, path: str) -> str | None:
        if self.snapshot.size(path) > _MAX_DEP_BYTES:
            return None
        return self.snapshot.text(path)

    def add(self, name: str, spec: str, path: str, line: int, pinned: bool | None = None) -> None:
        exact = _is_exact(spec) if pinned is None else pinned
        self.requirements.append(Requirement(name, spec, path, line, exact))

    # requirements.txt ---------------------------------------------------------------------
    def requirements_file(self, path: str) -> None:
        if path in self._parsed:
            return
        self._parsed.add(path)
        text = self.text(path)
        if text is None:
            return
        self.files.add(path)
        found: list[Requirement] = []
        hashed = False
        for line, content in _logical_lines(text):
            hashed = hashed or "--hash" in content
            self._requirement_line(path, line, content, found)
        self.requirements.extend(found)
        if found and all(r.pinned for r in found) and (hashed or _looks_frozen(path, text, found)):
            self.locks.add(path)

    def _requirement_line(self, path: str, line: int, content: str, out: list[Requirement]) -> None:
        if not content:
            return
        if content.startswith("-"):
            m = re.match(r"^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", content)
            if m:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), m.group(1)))
                if target in self.snapshot.by_path and not _is_excluded(target, self.model_dirs):
                    self.requirements_file(target)
            return
        content = re.sub(r"\s--?\w[\w-]*(?:[= ]\S+)?", "", content)  # per-line options (--hash)
        parsed = _pep508(content)
        if parsed is not None and not parsed[1].startswith("@"):
            out.append(Requirement(parsed[0], parsed[1], path, line, _is_exact(parsed[1])))

    # pyproject.toml ---------------------------------------------------------------------------
    def pyproject(self, path: str) -> None:
        text = self.text(path)
        data = _toml(text)
        if text is None or data is None:
            return
        self.files.add(path)
        lines = text.splitlines()
        project = _table(data, "project")
        strings: list[str] = list(_str_list(project.get("dependencies")))
        for group in _table(project, "optional-dependencies").values():
            strings.extend(_str_list(group))
        for group in _table(data, "dependency-groups").values():
            strings.extend(_str_list(group))
        for item in strings:
            parsed = _pep508(item)
            if parsed is not None and not parsed[1].startswith("@"):
                self.add(parsed[0], parsed[1], path, _find_line(lines, f'"{item}"', item))
        poetry = _table(_table(data, "tool"), "poetry")
        tables = [_table(poetry, "dependencies"), _table(poetry, "dev-dependencies")]
        tables += [
            _table(g, "dependencies")
            for g in _table(poetry, "group").values()
            if isinstance(g, dict)
        ]
        for table in tables:
            for name, value in table.items():
                self._poetry_style(path, lines, name, value)

    def _poetry_style(self, path: str, lines: list[str], name: str, value: object) -> None:
        """A ``name = "spec"`` / ``name = {version = ...}`` entry (Poetry, Pipfile)."""
        if normalise_name(name) in _NOT_PACKAGES:
            return
        if isinstance(value, list):  # poetry multiple-constraint dependency
            value = value[0] if value else "*"
        if isinstance(value, dict):
            if not isinstance(value.get("version"), str):
                return  # git / path / url dependency
            value = value["version"]
        if not isinstance(value, str):
            return
        spec = value.strip()
        exact = bool(re.fullmatch(r"(?:===?)?\s*\d[\w.+!-]*", spec)) and "*" not in spec
        line = _find_line(lines, None, None, key=name)
        self.add(normalise_name(name), "" if spec == "*" else spec, path, line, exact)

    # Pipfile -----------------------------------------------------------------------------------
    def pipfile(self, path: str) -> None:
        text = self.text(path)
        data = _toml(text)
        if text is None or data is None:
            return
        self.files.add(path)
        lines = text.splitlines()
        for section in ("packages", "dev-packages"):
            for name, value in _table(data, section).items():
                self._poetry_style(path, lines, name, value)

    # setup.py ----------------------------------------------------------------------------------
    def setup_py(self, path: str) -> None:
        text = self.text(path)
        if text is None or not _SETUP_CALL.search(text):
            return  # a module that happens to be called setup.py
        self.files.add(path)
        for line, item in _setup_py_strings(text):
            parsed = _pep508(item)
            if parsed is not None and not parsed[1].startswith("@"):
                self.add(parsed[0], parsed[1], path, line)

    # setup.cfg ---------------------------------------------------------------------------------
    def setup_cfg(self, path: str) -> None:
        self.files.add(path)
        text = self.text(path)
        if text is None:
            return
        section = ""
        key = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            stripped = raw.strip()
            if not stripped or stripped.startswith(("#", ";")):
                continue
            if stripped.startswith("[") and stripped.endswith("]"):
                section, key = stripped[1:-1].strip().lower(), ""
                continue
            value = stripped
            if not raw[:1].isspace():
                k, sep, v = raw.partition("=")
                if not sep:
                    k, sep, v = raw.partition(":")
                key, value = k.strip().lower(), v.strip()
            wanted = (section == "options" and key in ("install_requires", "tests_require")) or (
                section == "options.extras_require"
            )
            if not wanted or not value:
                continue
            parsed = _pep508(value)
            if parsed is not None and not parsed[1].startswith("@"):
                self.add(parsed[0], parsed[1], path, number)

    # conda environment files -------------------------------------------------------------------
    def conda(self, path: str, *, named_environment: bool) -> None:
        text = self.text(path)
        root = yamldoc.compose(text) if text is not None else None
        deps = yamldoc.mapping_get(root, "dependencies")
        if not isinstance(deps, yaml.SequenceNode):
            if named_environment and text is not None and root is not None:
                self.files.add(path)  # an environment file without packages is still one
            return
        keys = yamldoc.mapping_keys(root)
        if not named_environment and "channels" not in keys and "conda" not in path.lower():
            return  # some other YAML that happens to have a "dependencies" list
        self.files.add(path)
        for item in deps.value:
            value = yamldoc.scalar(item)
            if value is not None:
                self._conda_spec(path, yamldoc.line_of(item), value)
                continue
            pip = yamldoc.mapping_get(item, "pip")
            if isinstance(pip, yaml.SequenceNode):
                found: list[Requirement] = []
                for sub in pip.value:
                    text_value = yamldoc.scalar(sub)
                    if text_value is not None:
                        line = yamldoc.line_of(sub)
                        self._requirement_line(path, line, text_value.strip(), found)
                self.requirements.extend(found)

    def _conda_spec(self, path: str, line: int, value: str) -> None:
        spec_text = value.strip().split("::")[-1].strip()
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$", spec_text)
        if m is None:
            return
        name, spec = normalise_name(m.group(1)), m.group(2).strip()
        if name in _NOT_PACKAGES:
            return
        if spec.startswith("="):
            version = spec.lstrip("=").split("=")[0]
            exact = bool(version) and not re.search(r"[*,|<>!]", version)
        else:
            exact = bool(re.fullmatch(r"\d[\w.+!-]*", spec.split(" ")[0])) if spec else False
        self.add(name, spec, path, line, exact)


def _looks_frozen(path: str, text: str, found: list[Requirement]) -> bool:
    """A complete pip-freeze / pip-compile output: pins everything, transitive packages too."""
    if not all(r.pinned for r in found):
        return False
    name = posixpath.basename(path).lower()
    if re.search(r"lock|freeze|frozen", name):
        return True
    if "autogenerated by pip-compile" in text or "uv pip compile" in text:
        return True
    names = {r.name for r in found}
    return len(names & _TRANSITIVE) >= 3


#: Packages nobody declares by hand but every ``pip freeze`` lists.
_TRANSITIVE = frozenset(
    """certifi charset-normalizer idna urllib3 six packaging pyparsing python-dateutil pytz
    tzdata typing-extensions markupsafe cycler kiwisolver fonttools threadpoolctl joblib
    filelock fsspec jinja2 networkx sympy mpmath attrs wrapt decorator""".split()
)


def _toml(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _str_list(value: object) -> Iterator[str]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


def _find_line(lines: list[str], quoted: str | None, bare: str | None, key: str = "") -> int:
    """The 1-based line holding a TOML value or key (1 when it cannot be located)."""
    for number, line in enumerate(lines, start=1):
        if quoted is not None and (quoted in line or (bare is not None and f"'{bare}'" in line)):
            return number
        if key and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return 1


_SETUP_CALL = re.compile(r"\b(?:setuptools|distutils|skbuild)\b|^\s*setup\s*\(", re.MULTILINE)
_SETUP_KEYWORDS = frozenset({"install_requires", "extras_require", "tests_require"})


def _setup_py_strings(text: str) -> list[tuple[int, str]]:
    """(line, string) of the literal requirement lists given to ``setup()``.

    Lists may be inline or bound to a module-level name first (``REQUIRED = [...]``).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    assigned: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                assigned[target.id] = node.value
    out: list[tuple[int, str]] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        callee = call.func
        callee_name = (
            callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        )
        if callee_name != "setup":
            continue
        for kw in call.keywords:
            if kw.arg in _SETUP_KEYWORDS:
                out.extend(_literal_strings(kw.value, assigned))
    return out


def _literal_strings(node: ast.expr, assigned: Mapping[str, ast.expr]) -> list[tuple[int, str]]:
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.Dict):
        return [s for v in node.values if v is not None for s in _literal_strings(v, assigned)]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [
            (e.lineno, e.value)
            for e in node.elts
            if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_strings(node.left, assigned) + _literal_strings(node.right, assigned)
    return []


# -- public API ------------------------------------------------------------------------------

_CACHE: weakref.WeakKeyDictionary[Snapshot, Declarations] = weakref.WeakKeyDictionary()


def declarations(snapshot: Snapshot) -> Declarations:
    """Dependency files, lock files and declared requirements of a snapshot (computed once)."""
    cached = _CACHE.get(snapshot)
    if cached is not None:
        return cached
    model_dirs = _excluded_dirs(snapshot)
    collector = _Collector(snapshot, model_dirs)
    mlprojects = [p for p in snapshot.paths if posixpath.basename(p) == "MLproject"]
    referenced_conda = _mlproject_conda_files(snapshot, mlprojects)
    for entry in snapshot.files:
        path = entry.path
        if entry.size == 0 or _is_excluded(path, model_dirs):
            continue
        kind = _candidate_kind(path)
        if kind is None and path in referenced_conda:
            kind = "conda"
        if kind == "lock":
            collector.files.add(path)
            collector.locks.add(path)
        elif kind == "requirements":
            collector.requirements_file(path)
        elif kind == "pyproject.toml":
            collector.pyproject(path)
        elif kind == "setup.py":
            collector.setup_py(path)
        elif kind == "setup.cfg":
            collector.setup_cfg(path)
        elif kind == "pipfile":
            collector.pipfile(path)
        elif kind == "conda":
            named = bool(_ENV_YAML_NAME.fullmatch(posixpath.basename(path)))
            collector.conda(path, named_environment=named or path in referenced_conda)
    result = Declarations(
        files=tuple(sorted(collector.files)),
        locks=tuple(sorted(collector.locks)),
        requirements=tuple(collector.requirements),
    )
    _CACHE[snapshot] = result
    return result


def declared_requirements(snapshot: Snapshot) -> list[Requirement]:
    """Every package the candidate's own dependency files declare (lock files excluded)."""
    return list(declarations(snapshot).requirements)


def _mlproject_conda_files(snapshot: Snapshot, mlprojects: list[str]) -> set[str]:
    out: set[str] = set()
    for path in mlprojects:
        text = snapshot.text(path) or ""
        for m in re.finditer(r"^\s*conda_env\s*:\s*['\"]?([^'\"\s#]+)", text, re.MULTILINE):
            out.add(posixpath.normpath(posixpath.join(posixpath.dirname(path), m.group(1))))
    return out


@finder("dependency_files", "deps_pinned")
def find_dependencies(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    decl = declarations(snapshot)
    files = list(decl.files)
    if files:
        shown = ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
        files_fact = Fact(files, tuple(files), f"dependencies declared in {shown}")
    else:
        files_fact = Fact([], (), "no requirements, pyproject, setup, conda or Pipfile found")
    return {"dependency_files": files_fact, "deps_pinned": _pinned_fact(decl)}


def _pinned_fact(decl: Declarations) -> Fact:
    if decl.locks:
        return Fact("all", decl.locks, f"a lock file pins every package ({decl.locks[0]})")
    reqs = [r for r in decl.requirements if r.name not in _NOT_PACKAGES]
    if not reqs:
        return Fact("n/a", tuple(decl.files), "no Python package is declared")
    loose = [r for r in reqs if not r.pinned]
    exact = len(reqs) - len(loose)
    if not loose:
        evidence = tuple(sorted({r.path for r in reqs}))
        return Fact(
            "all", evidence, f"all {len(reqs)} declared packages pinned with exact versions"
        )
    evidence = tuple(f"{r.path}:{r.line}" for r in loose[:10])
    first = loose[0]
    shown = f"{first.name}{first.spec or ' (no version)'} at {first.path}:{first.line}"
    if exact == 0:
        return Fact(
            "none", evidence, f"none of {len(reqs)} declared packages is pinned, e.g. {shown}"
        )
    return Fact(
        "some", evidence, f"{exact} of {len(reqs)} declared packages pinned; not e.g. {shown}"
    )
