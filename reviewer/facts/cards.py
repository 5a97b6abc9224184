"""Model cards and datasheets: documents about a model or a dataset, not passing mentions.

FACTS.md (``responsible_ai``): ``model-card`` / ``datasheet`` when a file, or a section of the
README, *is* one. A file counts by its name (``MODEL_CARD.md``, ``model-card.yaml``,
``DATASHEET.md``, ``data_card.md``, files under a ``model_cards/`` directory) when it is not
empty. A README counts when it has a heading that names one ("Model Card", "Datasheet",
"Dataset card"), when its headings are those of one (two of the model-card sections "Intended
use", "Out-of-scope use", "Ethical considerations", "Caveats and recommendations", "Model
details"…, or one of them with two general ones such as "Limitations" and "Training data";
three of the datasheet sections "Motivation", "Composition", "Collection process"…), or when
it opens with the Hugging Face model-card metadata block.
"""

from __future__ import annotations

import posixpath
import re

from reviewer.snapshot import Snapshot

_DOC_EXT = r"(?:\.(?:md|markdown|rst|txt|html?|ya?ml|json|pdf|ipynb|docx?))?"
_MODEL_CARD_FILE = re.compile(rf"model[-_ ]?cards?(?:[-_ .][\w.-]*)?{_DOC_EXT}", re.IGNORECASE)
_DATASHEET_FILE = re.compile(
    rf"(?:data[-_ ]?sheets?|data(?:set)?[-_ ]?cards?)(?:[-_ .][\w.-]*)?{_DOC_EXT}", re.IGNORECASE
)
_CODE_EXT = (".py", ".pyc", ".js", ".ts", ".css", ".png", ".jpg", ".jpeg", ".svg", ".gif")
_CARD_DIR = re.compile(r"(?:^|/)(?:model[-_]?cards?)/[^/]+\.(?:md|markdown|rst|ya?ml)$", re.I)
_README = re.compile(r"readme(?:\.(?:md|markdown|rst|txt))?", re.IGNORECASE)

_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")

_MODEL_CARD_HEADING = re.compile(r"\bmodel[\s_-]*card\b")
_DATASHEET_HEADING = re.compile(r"\b(?:data\s*sheet|data(?:set)?\s*card)s?\b")
_CARD_SECTIONS = (
    re.compile(r"\bintended\s+(?:use|uses|purpose|users)\b"),
    re.compile(r"\bout[\s-]of[\s-]scope\b"),
    re.compile(r"\bethical\s+considerations?\b"),
    re.compile(r"\bcaveats\b"),
    re.compile(r"\bmodel\s+details\b"),
    re.compile(r"\bbias(?:es)?,?\s+risks?\b|\brisks?,?\s+(?:and\s+)?limitations\b"),
    re.compile(r"\bquantitative\s+analys[ie]s\b"),
    re.compile(r"\bhow\s+to\s+get\s+started\s+with\s+the\s+model\b"),
)
_GENERAL_SECTIONS = (
    re.compile(r"\blimitations?\b"),
    re.compile(r"\b(?:training|evaluation|train|test)\s+(?:and\s+evaluation\s+)?data(?:set)?\b"),
    re.compile(r"\b(?:evaluation\s+)?metrics\b|\bevaluation\s+results\b|\bperformance\b"),
    re.compile(r"\bfactors\b"),
    re.compile(r"\bmodel\s+architecture\b"),
)
_DATASHEET_SECTIONS = (
    re.compile(r"\bmotivation\b"),
    re.compile(r"\bcomposition\b"),
    re.compile(r"\bcollection\s+process\b|\bdata\s+collection\b"),
    re.compile(r"\bpreprocessing\b.*\blabel|\bcleaning\b.*\blabel"),
    re.compile(r"^uses$"),
    re.compile(r"\bdistribution\b"),
    re.compile(r"\bmaintenance\b"),
)
_HF_MODEL_KEYS = re.compile(
    r"^(?:model-index|base_model|pipeline_tag|library_name|model_name)\s*:", re.MULTILINE
)
_MAX_README = 400_000


def find_cards(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(``model-card`` | ``datasheet``, evidence) for every card found."""
    out: list[tuple[str, str]] = []
    for entry in snapshot.files:
        name = posixpath.basename(entry.path)
        if entry.size <= 0 or name.lower().endswith(_CODE_EXT) or "template" in name.lower():
            continue  # a template to generate cards is not a card
        if _MODEL_CARD_FILE.fullmatch(name) or _CARD_DIR.search(entry.path):
            if _has_words(snapshot, entry.path):
                out.append(("model-card", entry.path))
        elif _DATASHEET_FILE.fullmatch(name) and _has_words(snapshot, entry.path):
            out.append(("datasheet", entry.path))
    for path in snapshot.root_files:
        if _README.fullmatch(path) and 0 < snapshot.size(path) <= _MAX_README:
            out.extend(_readme_cards(path, snapshot.text(path) or ""))
    return out


def _has_words(snapshot: Snapshot, path: str) -> bool:
    if not path.lower().endswith((".md", ".markdown", ".rst", ".txt", ".yaml", ".yml")):
        return True  # a binary document (pdf, docx) is judged by its name and size
    text = snapshot.text(path)
    return text is not None and len(re.findall(r"[A-Za-z]{3,}", text)) >= 5


def _readme_cards(path: str, text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    front = _front_matter(text)
    if front is not None and _HF_MODEL_KEYS.search(front):
        out.append(("model-card", f"{path}:1"))
    headings = list(_headings(text))
    model = _card_line(headings, _MODEL_CARD_HEADING, _CARD_SECTIONS, 2, _GENERAL_SECTIONS)
    if model is not None and not out:
        out.append(("model-card", f"{path}:{model}"))
    sheet = _card_line(headings, _DATASHEET_HEADING, _DATASHEET_SECTIONS, 3, ())
    if sheet is not None:
        out.append(("datasheet", f"{path}:{sheet}"))
    return out


def _card_line(
    headings: list[tuple[int, str]],
    named: re.Pattern[str],
    sections: tuple[re.Pattern[str], ...],
    needed: int,
    general: tuple[re.Pattern[str], ...],
) -> int | None:
    for line, title in headings:
        if named.search(title):
            return line
    hits = [(line, rx) for line, title in headings for rx in sections if rx.search(title)]
    kinds = {rx.pattern for _, rx in hits}
    if len(kinds) >= needed:
        return min(line for line, _ in hits)
    if kinds and general:
        general_kinds = {rx.pattern for _, t in headings for rx in general if rx.search(t)}
        if len(kinds) + len(general_kinds) >= needed + 1 and len(general_kinds) >= 2:
            return min(line for line, _ in hits)
    return None


def _headings(text: str) -> list[tuple[int, str]]:
    """(line, normalised title) of markdown headings (ATX, setext, bold-only lines)."""
    out: list[tuple[int, str]] = []
    lines = text.split("\n")
    in_fence = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _ATX.match(line) or _BOLD_LINE.match(line)
        if m:
            out.append((i + 1, _normalise(m.group(1))))
        elif i > 0 and _SETEXT.match(line) and lines[i - 1].strip() and len(line.strip()) >= 3:
            out.append((i, _normalise(lines[i - 1])))
    return out


def _normalise(title: str) -> str:
    title = re.sub(r"[*_`#:\[\]()]|<[^>]+>", " ", title)
    title = re.sub(r"[^\w\s,&/-]", " ", title)  # emoji and punctuation
    return " ".join(title.lower().replace("&", "and").split())


def _front_matter(text: str) -> str | None:
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    return text[3:end] if end > 0 else None
