"""The license: a non-empty LICENSE/LICENCE/COPYING file at the root, or one declared in
``pyproject.toml``, ``setup.py`` or ``setup.cfg`` (FACTS.md). A README line alone does not count.

The SPDX identifier is recognised from phrases that only that license's text contains (a file
beats a declaration, since it is what binds); declarations are normalised from the usual ways
people write them (``"MIT License"``, ``{text = "Apache 2.0"}``, trove classifiers).
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_LICENSE_FILE = re.compile(
    r"(?:un)?licen[cs]e(?:s)?(?:[-_.][\w.-]+)?|copying(?:[-_.][\w.-]+)?",
    re.IGNORECASE,
)
_MAX_LICENSE_BYTES = 200_000


def _squash(text: str) -> str:
    """Lower-case words separated by single spaces (line breaks and markup removed)."""
    return re.sub(r"[^a-z0-9+.]+", " ", text.lower()).strip()


# (SPDX id, phrases that must all appear, phrases that must not appear) — most specific first.
_TEXT_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("AGPL-3.0-only", ("gnu affero general public license",), ()),
    ("LGPL-3.0-only", ("gnu lesser general public license", "version 3"), ()),
    ("LGPL-2.1-only", ("gnu lesser general public license", "version 2.1"), ()),
    ("LGPL-2.0-only", ("gnu library general public license",), ()),
    ("GPL-3.0-only", ("gnu general public license", "version 3"), ("lesser", "affero")),
    ("GPL-2.0-only", ("gnu general public license", "version 2"), ("lesser", "library")),
    ("Apache-2.0", ("apache license", "version 2.0"), ()),
    ("Apache-2.0", ("apache license 2.0",), ()),
    ("MPL-2.0", ("mozilla public license", "2.0"), ()),
    ("EPL-2.0", ("eclipse public license", "2.0"), ()),
    ("EPL-1.0", ("eclipse public license", "1.0"), ()),
    ("BSL-1.0", ("boost software license",), ()),
    ("WTFPL", ("do what the fuck you want to public license",), ()),
    ("Zlib", ("provided as is", "altered source versions must be plainly marked"), ()),
    (
        "MIT",
        (
            "permission is hereby granted free of charge to any person obtaining a copy",
            "the above copyright notice and this permission notice shall be included",
        ),
        (),
    ),
    ("MIT-0", ("permission is hereby granted free of charge to any person obtaining a copy",), ()),
    (
        "ISC",
        (
            "permission to use copy modify and or distribute this software for any purpose",
            "copyright notice and this permission notice appear in all copies",
        ),
        (),
    ),
    (
        "0BSD",
        ("permission to use copy modify and or distribute this software for any purpose",),
        (),
    ),
    (
        "BSD-4-Clause",
        (
            "redistribution and use in source and binary forms",
            "all advertising materials mentioning",
        ),
        (),
    ),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms", "neither the name"), ()),
    (
        "BSD-3-Clause",
        (
            "redistribution and use in source and binary forms",
            "may not be used to endorse or promote",
        ),
        (),
    ),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",), ()),
    ("Unlicense", ("free and unencumbered software released into the public domain",), ()),
    ("CC0-1.0", ("cc0 1.0",), ()),
    ("CC-BY-NC-SA-4.0", ("attribution noncommercial sharealike 4.0",), ()),
    ("CC-BY-NC-ND-4.0", ("attribution noncommercial noderivatives 4.0",), ()),
    ("CC-BY-NC-4.0", ("attribution noncommercial 4.0",), ()),
    ("CC-BY-SA-4.0", ("attribution sharealike 4.0",), ()),
    ("CC-BY-ND-4.0", ("attribution noderivatives 4.0",), ()),
    ("CC-BY-4.0", ("attribution 4.0 international",), ()),
)

# Names people write in declarations, titles or file suffixes (squashed) -> SPDX id.
_NAMES: tuple[tuple[str, str], ...] = (
    (r"agpl|affero", "AGPL-3.0-only"),
    (r"lgpl ?v?3|lesser general public license v3|lgpl 3", "LGPL-3.0-only"),
    (r"lgpl ?v?2", "LGPL-2.1-only"),
    (r"\blgpl\b|lesser general public", "LGPL-3.0-only"),
    (r"gpl ?v?3 ?(?:\+|or later)|gpl 3.0 or later|gplv3 \+|v3 or later", "GPL-3.0-or-later"),
    (r"gpl ?v?2 ?(?:\+|or later)|gpl 2.0 or later|v2 or later", "GPL-2.0-or-later"),
    (r"gpl ?v?3|gpl 3|general public license v3|general public license version 3", "GPL-3.0-only"),
    (r"gpl ?v?2|gpl 2|general public license v2|general public license version 2", "GPL-2.0-only"),
    (r"\bapache\b", "Apache-2.0"),
    (r"\bmit 0\b|\bmit-0\b", "MIT-0"),
    (r"\bmit\b|expat", "MIT"),
    (r"\bisc\b", "ISC"),
    (r"0bsd|zero clause bsd", "0BSD"),
    (r"bsd 2|2 clause|simplified bsd|freebsd", "BSD-2-Clause"),
    (r"bsd 3|3 clause|new bsd|modified bsd|revised bsd", "BSD-3-Clause"),
    (r"mozilla|\bmpl\b", "MPL-2.0"),
    (r"unlicense", "Unlicense"),
    (r"\bcc0\b|cc zero", "CC0-1.0"),
    (r"cc by nc sa|attribution noncommercial sharealike", "CC-BY-NC-SA-4.0"),
    (r"cc by nc nd|attribution noncommercial noderivatives", "CC-BY-NC-ND-4.0"),
    (r"cc by nc|attribution noncommercial", "CC-BY-NC-4.0"),
    (r"cc by sa|attribution sharealike", "CC-BY-SA-4.0"),
    (r"cc by nd|attribution noderivatives", "CC-BY-ND-4.0"),
    (r"cc by|creative commons attribution", "CC-BY-4.0"),
    (r"eclipse|\bepl\b", "EPL-2.0"),
    (r"boost|\bbsl\b", "BSL-1.0"),
    (r"wtfpl", "WTFPL"),
    (r"\bzlib\b", "Zlib"),
)
_COMPILED_NAMES = tuple((re.compile(rx), spdx) for rx, spdx in _NAMES)
_SPDX_IDS = (
    frozenset(s for _, s in _NAMES)
    | frozenset(s for s, _, _ in _TEXT_RULES)
    | {
        "GPL-3.0-or-later",
        "GPL-2.0-or-later",
        "LGPL-3.0-or-later",
        "LGPL-2.1-or-later",
        "AGPL-3.0-or-later",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "CC-BY-SA-4.0",
    }
)
_SPDX_BY_LOWER = {s.lower(): s for s in _SPDX_IDS} | {
    "gpl-3.0": "GPL-3.0-only",
    "gpl-2.0": "GPL-2.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "gpl-3.0+": "GPL-3.0-or-later",
    "gpl-2.0+": "GPL-2.0-or-later",
}
_PLACEHOLDER = re.compile(
    r"^(?:|unknown|none|n/?a|todo|tbd|\{\{.*\}\}|license|see license.*)$", re.IGNORECASE
)


def spdx_from_text(text: str) -> str | None:
    """The SPDX id of a license text (full text or a short notice), or None."""
    squashed = _squash(text)
    for spdx, needed, forbidden in _TEXT_RULES:
        if all(p in squashed for p in needed) and not any(p in squashed for p in forbidden):
            if spdx.startswith(("GPL", "LGPL", "AGPL")) and _or_later_notice(squashed):
                return spdx.replace("-only", "-or-later")
            return spdx
    # A short file that only names its license ("MIT License\n\nCopyright (c) 2024 ...").
    head = " ".join(text.strip().splitlines()[:3])
    return spdx_from_name(head) if re.search(r"licen[cs]e", head, re.IGNORECASE) else None


def _or_later_notice(squashed: str) -> bool:
    """A GPL-family *notice* saying "or any later version" (not the full text's appendix)."""
    return "any later version" in squashed and "terms and conditions" not in squashed


def spdx_from_name(name: str) -> str | None:
    """Normalise a declared license name or SPDX expression."""
    stripped = name.strip().strip("\"'")
    exact = _SPDX_BY_LOWER.get(stripped.lower())
    if exact:
        return exact
    parts = re.split(r"\s+(?:OR|or)\s+(?!later\b)", stripped)
    if len(parts) > 1:
        ids = [spdx_from_name(p) for p in parts]
        if all(ids):
            return " OR ".join(sorted({i for i in ids if i}))
    squashed = _squash(stripped.replace("-", " "))
    for rx, spdx in _COMPILED_NAMES:
        if rx.search(squashed):
            return spdx
    return None


@dataclass(frozen=True)
class Declared:
    path: str
    line: int
    value: str  # what was written


def _declared_in_pyproject(path: str, text: str) -> list[Declared]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return []
    out: list[Declared] = []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    candidates: list[object] = []
    if isinstance(project, dict):
        candidates += [project.get("license"), project.get("license-expression")]
        candidates += [
            c
            for c in project.get("classifiers") or []
            if isinstance(c, str) and c.startswith("License ::")
        ]
    if isinstance(poetry, dict):
        candidates.append(poetry.get("license"))
        candidates += [
            c
            for c in poetry.get("classifiers") or []
            if isinstance(c, str) and c.startswith("License ::")
        ]
    lines = text.splitlines()
    for value in candidates:
        written: str | None = None
        if isinstance(value, str):
            written = value
        elif isinstance(value, dict):
            if isinstance(value.get("text"), str):
                written = value["text"]
            elif isinstance(value.get("file"), str):
                written = f"file:{value['file']}"
        if written is None or _PLACEHOLDER.match(written.strip()):
            continue
        out.append(Declared(path, _line_of(lines, written.removeprefix("file:")), written))
    return out


def _declared_in_setup_py(snapshot: Snapshot, path: str, text: str) -> list[Declared]:
    out: list[Declared] = []
    module = snapshot.python(path)
    if module is not None:
        for call in module.calls:
            if call.name.rsplit(".", 1)[-1] != "setup":
                continue
            for key, value in call.keywords:
                if key == "license" and value.startswith(("'", '"')):
                    written = value[1:-1]
                    if not _PLACEHOLDER.match(written.strip()):
                        out.append(Declared(path, _line_of(text.splitlines(), written), written))
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.search(r"[\"'](License :: [^\"']+)[\"']", line)
        if m:
            out.append(Declared(path, number, m.group(1)))
    return out


def _declared_in_setup_cfg(path: str, text: str) -> list[Declared]:
    out: list[Declared] = []
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
            continue
        if section != "metadata":
            continue
        m = re.match(r"^license\s*[=:]\s*(.*)$", stripped, re.IGNORECASE)
        if m and not _PLACEHOLDER.match(m.group(1).strip()):
            out.append(Declared(path, number, m.group(1).strip()))
        m = re.match(r"^(License :: .+)$", stripped)
        if m:
            out.append(Declared(path, number, m.group(1)))
    return out


def _line_of(lines: list[str], needle: str) -> int:
    for number, line in enumerate(lines, start=1):
        if needle and needle in line:
            return number
    return 1


def _classifier_spdx(value: str) -> str | None:
    last = value.split("::")[-1].strip()
    if last in ("OSI Approved", "Other/Proprietary License", "Freely Distributable"):
        return None
    if last == "BSD License":
        return None  # which BSD is not said
    return spdx_from_name(last)


def _declared_spdx(decl: Declared, snapshot: Snapshot) -> str | None:
    if decl.value.startswith("file:"):
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(decl.path), decl.value.removeprefix("file:"))
        )
        text = snapshot.text(target)
        return spdx_from_text(text) if text else None
    if decl.value.startswith("License ::"):
        return _classifier_spdx(decl.value)
    return spdx_from_name(decl.value)


def _license_files(snapshot: Snapshot) -> list[str]:
    return sorted(
        p
        for p in snapshot.root_files
        if _LICENSE_FILE.fullmatch(p) and not p.lower().endswith((".py", ".ipynb", ".json"))
    )


@finder("has_license", "license_spdx")
def find_license(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    files: list[tuple[str, str | None]] = []
    for path in _license_files(snapshot):
        if snapshot.size(path) > _MAX_LICENSE_BYTES:
            files.append((path, None))
            continue
        text = snapshot.text(path)
        if text is None or not text.strip():
            continue
        spdx = spdx_from_text(text)
        if spdx is None:
            hint = re.sub(r"^(?:un)?licen[cs]es?|^copying", "", path, flags=re.I).strip("-_.")
            spdx = (
                spdx_from_name(hint) if hint and hint.lower() not in ("md", "txt", "rst") else None
            )
        files.append((path, spdx))
    if files:
        ids = sorted({s for _, s in files if s})
        evidence = tuple(p for p, _ in files)
        has = Fact(True, evidence, f"license file {evidence[0]}")
        if ids:
            spdx = ids[0] if len(ids) == 1 else " OR ".join(ids)
            return {
                "has_license": has,
                "license_spdx": Fact(spdx, evidence, f"{evidence[0]} is the {spdx} text"),
            }
        decl_spdx = _from_declarations(snapshot)
        if decl_spdx is not None:
            spdx, decl = decl_spdx
            return {
                "has_license": has,
                "license_spdx": Fact(
                    spdx,
                    (*evidence, f"{decl.path}:{decl.line}"),
                    f"{evidence[0]} is not a known text; {decl.path} declares {spdx}",
                ),
            }
        return {
            "has_license": has,
            "license_spdx": Fact(
                None, evidence, f"{evidence[0]} is not a license text that could be identified"
            ),
        }
    decls = _declarations(snapshot)
    if not decls:
        return {
            "has_license": Fact(False, (), "no LICENSE file and no license declared"),
            "license_spdx": Fact(None, (), "no license"),
        }
    first = decls[0]
    has = Fact(
        True, (f"{first.path}:{first.line}",), f"license declared in {first.path} ({first.value})"
    )
    decl_spdx = _from_declarations(snapshot)
    if decl_spdx is None:
        return {
            "has_license": has,
            "license_spdx": Fact(
                None, has.evidence, f"the declared license {first.value!r} is not an SPDX license"
            ),
        }
    spdx, decl = decl_spdx
    return {
        "has_license": has,
        "license_spdx": Fact(spdx, (f"{decl.path}:{decl.line}",), f"{decl.path} declares {spdx}"),
    }


def _declarations(snapshot: Snapshot) -> list[Declared]:
    """Declared licenses in the candidate's packaging files, shallowest file first."""
    names = ("pyproject.toml", "setup.py", "setup.cfg")
    paths = sorted(
        (
            p
            for p in snapshot.paths
            if posixpath.basename(p) in names and not p.startswith(("mlruns/", "tests/", "test/"))
        ),
        key=lambda p: (p.count("/"), names.index(posixpath.basename(p)), p),
    )
    out: list[Declared] = []
    for path in paths:
        text = snapshot.text(path)
        if not text:
            continue
        name = posixpath.basename(path)
        if name == "pyproject.toml":
            out += _declared_in_pyproject(path, text)
        elif name == "setup.py":
            out += _declared_in_setup_py(snapshot, path, text)
        else:
            out += _declared_in_setup_cfg(path, text)
    return out


def _from_declarations(snapshot: Snapshot) -> tuple[str, Declared] | None:
    for decl in _declarations(snapshot):
        spdx = _declared_spdx(decl, snapshot)
        if spdx is not None:
            return spdx, decl
    return None
