"""The blog export: suggested projects as Jekyll pages (Markdown + YAML front matter) or JSON.

:func:`export_blog` is pure: suggestions, criterion titles and a :class:`BlogConfig` in, a
mapping of relative path → file text out; the CLI writes the files, the web app zips them.

Jekyll form: one index page and one page per certification (in the program's order), each with
front matter ``layout``, ``title``, ``subtitle``, ``date``, ``tags``, ``permalink`` and, when
configured, ``bigimg`` (the AI Expert Blog's list of ``{src, desc}`` images)::

    suggested-projects/index.md            permalink /suggested-projects/
    suggested-projects/<cert-id>.md        permalink /suggested-projects/<cert-id>/

Links between the pages are relative (``nlp/``, ``../``), so they work under any ``baseurl``.

Deterministic: certifications in program order, suggestions by (``order``, ``id``), retired
ones left out, no clock read. ``date`` is the one given, else the newest ``updated`` of the
suggestions on that page (the index: of all of them).

Escaping, so that an editor's text can neither break nor attack the blog:

* front-matter values are emitted with ``yaml.safe_dump``; editor text never reaches front
  matter (titles come from the certification names and the operator's configuration, which
  must not contain ``< > { }``);
* every page body is wrapped in ``{% raw %}`` … ``{% endraw %}``, and editor text can never
  contain ``{`` or ``}`` (they are written as ``&#123;`` / ``&#125;``), so no ``{{ }}``,
  ``{% %}`` or ``{% endraw %}`` survives into the page;
* ``& < >`` become entities (no HTML, no autolinks), ``| $ ~`` too (tables, math,
  strikethrough); ``\\ ` * _ [ ] #`` are backslash-escaped everywhere (emphasis, links,
  images, footnotes, headings), and a text that starts with a block marker (``- + = :`` or
  ``12.``) has it escaped; whitespace is one line per text, so no line can start a block;
* dataset links are http(s) only (the schema checks it) with parentheses percent-encoded;
  control characters are dropped.

``tests/test_blog.py`` checks this with Debian's real Jekyll 4.3 (kramdown): the export with a
hostile suggestion builds, and its text shows inert; 400 random strings of markup characters
render as exactly their text. A property test does the same for CommonMark (the editor's
preview renders with markdown-it).

JSON form: ``suggested-projects.json``, the same content as data (with ``<``, ``>`` and ``&``
written as ``\\u003c`` etc., so it is safe to inline in a ``<script>`` element).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reviewer.errors import ConfigError
from reviewer.program_config import CERTIFICATIONS, Certification, certification
from reviewer.suggestions import (
    CriteriaIndex,
    Suggestion,
    for_certification,
    sort_suggestions,
    suggestion_to_data,
)

Format = Literal["jekyll", "json"]
FORMATS: tuple[Format, ...] = ("jekyll", "json")
JSON_SCHEMA_VERSION = 1

RAW_OPEN = "{% raw %}"
RAW_CLOSE = "{% endraw %}"

_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "$": "&#36;",
    "~": "&#126;",
}
_BACKSLASHED = frozenset("\\`*_[]#")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_BLOCK_START = re.compile(r"[-+=:]|\d+[.)]")
_UNSAFE_CONFIG = re.compile(r"[<>{}]")
_SLUG_PATH = re.compile(r"/(?:[a-z0-9]+(?:-[a-z0-9]+)*/)+")


def escape_inline(text: str) -> str:
    """``text`` as Markdown that kramdown and CommonMark render as exactly this text, and in
    which Liquid finds no tag. Control characters are dropped, and whitespace runs (line
    breaks included) become one space."""
    text = " ".join(_CONTROL.sub("", text).split())
    out = "".join(_ENTITIES.get(c) or (f"\\{c}" if c in _BACKSLASHED else c) for c in text)
    start = _BLOCK_START.match(out)
    if start:
        marker = start.group(0)
        out = (f"{marker[:-1]}\\{marker[-1]}" if len(marker) > 1 else f"\\{marker}") + out[
            len(marker) :
        ]
    return out


def _link_target(url: str) -> str:
    """A dataset URL as a Markdown link destination (the schema allows http(s) only)."""
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"Refusing to link to {url!r}: only http(s) URLs are exported.")
    return url.replace("(", "%28").replace(")", "%29").replace("[", "%5B").replace("]", "%5D")


def _config_text(value: str) -> str:
    value = " ".join(value.split())
    if _UNSAFE_CONFIG.search(value):
        raise ValueError("must not contain < > { or }")
    return value


class BigImage(BaseModel):
    """One header image of the AI Expert Blog's ``bigimg`` list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    src: Annotated[str, Field(min_length=1, max_length=500, pattern=r"^(/|https://)[^\s<>{}\"']*$")]
    desc: Annotated[str, Field(max_length=200)] = ""

    @field_validator("desc")
    @classmethod
    def _safe_desc(cls, value: str) -> str:
        return _config_text(value) if value else value


class BlogConfig(BaseModel):
    """What the blog pages say around the suggestions. Defaults fit the AI Expert Blog; a YAML
    file with any of these keys overrides them (``REVIEWER_BLOG_CONFIG``), and
    ``REVIEWER_BLOG_BIGIMG`` (image paths separated by commas) sets ``bigimg``.
    In titles and texts ``{name}`` stands for the certification's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    permalink_base: str = "/suggested-projects/"
    layout: str | None = "page"
    index_title: str = "Suggested portfolio projects"
    index_subtitle: str = (
        "Project ideas for the portfolio interview of every AI Expert certification"
    )
    index_intro: str = (
        "Each AI Expert certification ends with an interview about a portfolio project: a "
        "public GitHub repository you built. These suggestions are designed so that a project "
        "shows what the interview looks for. You may also bring a project of your own; one "
        "repository may be submitted for several certifications, and each submission is "
        "reviewed against its own rubric."
    )
    page_title: str = "Suggested projects: {name}"
    page_subtitle: str = "Portfolio project ideas for the {name} certification"
    page_intro: str = (
        "Each suggestion names the rubric criteria of the {name} interview it lets you "
        "demonstrate, public datasets to start from (check each license before you publish), "
        "milestones, stretch goals and the kind of questions the interviewers will ask."
    )
    tags: tuple[str, ...] = ("suggested-projects", "ai-expert-certification")
    bigimg: tuple[BigImage, ...] = ()

    @field_validator("permalink_base")
    @classmethod
    def _permalink(cls, value: str) -> str:
        if not _SLUG_PATH.fullmatch(value):
            raise ValueError("must look like /suggested-projects/ (slug segments, slashes)")
        return value

    @field_validator(
        "index_title", "index_subtitle", "index_intro", "page_title", "page_subtitle", "page_intro"
    )
    @classmethod
    def _text(cls, value: str) -> str:
        value = " ".join(value.split())
        if _UNSAFE_CONFIG.search(value.replace("{name}", "")):
            raise ValueError("must not contain < > { or } (the placeholder {name} aside)")
        return value

    @field_validator("layout")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]+", value):
            raise ValueError("must be a layout name such as 'page'")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", tag):
                raise ValueError(f"tag {tag!r} must be a slug")
        return value

    def title_for(self, cert: Certification) -> str:
        return self.page_title.replace("{name}", cert.name)

    def subtitle_for(self, cert: Certification) -> str:
        return self.page_subtitle.replace("{name}", cert.name)

    def permalink_for(self, cert: Certification) -> str:
        return f"{self.permalink_base}{cert.id}/"


def load_blog_config(path: Path | None = None, bigimg: str | None = None) -> BlogConfig:
    """The configuration from an optional YAML file, with ``bigimg`` (comma-separated image
    paths, e.g. the value of ``REVIEWER_BLOG_BIGIMG``) taking precedence over the file's."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise ConfigError(f"Cannot read the blog configuration {path}: {err}") from err
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"The blog configuration {path} must be a mapping of settings.")
        data = dict(loaded or {})
    if bigimg is not None and bigimg.strip():
        data["bigimg"] = [{"src": s.strip()} for s in bigimg.split(",") if s.strip()]
    try:
        return BlogConfig.model_validate(data)
    except ValidationError as err:
        where = str(path) if path is not None else "REVIEWER_BLOG_BIGIMG"
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in err.errors(include_url=False)
        )
        raise ConfigError(f"The blog configuration ({where}) is invalid: {problems}.") from err


@dataclass(frozen=True)
class Page:
    """One exported page before rendering: its front matter and Markdown body."""

    path: str
    front_matter: dict[str, Any]
    body: str

    def render(self) -> str:
        front = yaml.safe_dump(self.front_matter, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{front}---\n{RAW_OPEN}\n{self.body}{RAW_CLOSE}\n"


def export_blog(
    suggestions: Iterable[Suggestion],
    *,
    criteria: CriteriaIndex | None = None,
    config: BlogConfig | None = None,
    fmt: Format = "jekyll",
    on: date | None = None,
) -> dict[str, str]:
    """The blog files for the active ``suggestions``: relative path → text (see module doc)."""
    config = config or BlogConfig()
    items = [s for s in sort_suggestions(suggestions) if s.active]
    if fmt == "json":
        return {_json_path(config): _json_export(items, criteria or {}, config, on)}
    if fmt != "jekyll":
        raise ConfigError(f"Unknown blog format {fmt!r}; use one of: {', '.join(FORMATS)}.")
    pages = [index_page(items, config, on)] + [
        certification_page(cert, items, criteria or {}, config, on) for cert in CERTIFICATIONS
    ]
    return {page.path: page.render() for page in pages}


def _folder(config: BlogConfig) -> str:
    return config.permalink_base.strip("/")


def _json_path(config: BlogConfig) -> str:
    return f"{config.permalink_base.strip('/').replace('/', '-')}.json"


def _page_date(items: Iterable[Suggestion], on: date | None) -> date | None:
    if on is not None:
        return on
    dates = [s.updated for s in items]
    return max(dates) if dates else None


def _front_matter(
    config: BlogConfig, title: str, subtitle: str, when: date | None, tags: Iterable[str], link: str
) -> dict[str, Any]:
    front: dict[str, Any] = {}
    if config.layout:
        front["layout"] = config.layout
    front["title"] = title
    front["subtitle"] = subtitle
    if when is not None:
        front["date"] = when
    front["tags"] = list(tags)
    front["permalink"] = link
    if config.bigimg:
        front["bigimg"] = [img.model_dump() for img in config.bigimg]
    return front


def _hours(hours: int) -> str:
    return f"about {hours} hour{'s' if hours != 1 else ''}"


def index_page(items: list[Suggestion], config: BlogConfig, on: date | None) -> Page:
    lines = [escape_inline(config.index_intro), ""]
    for mandatory, heading in ((True, "Mandatory certifications"), (False, "Optional ones")):
        lines += [f"## {heading}", ""]
        for cert in (c for c in CERTIFICATIONS if c.mandatory == mandatory):
            shown = for_certification(items, cert.id)
            count = f"{len(shown)} suggested project{'s' if len(shown) != 1 else ''}"
            lines += [f"### [{escape_inline(cert.name)}]({cert.id}/)", "", count, ""]
            lines += [
                f"- {escape_inline(s.title)} ({s.difficulty}, {_hours(s.estimated_hours)})"
                for s in shown
            ]
            lines += [""] if shown else []
    front = _front_matter(
        config,
        config.index_title,
        config.index_subtitle,
        _page_date(items, on),
        config.tags,
        config.permalink_base,
    )
    return Page(f"{_folder(config)}/index.md", front, "\n".join(lines))


def certification_page(
    cert: Certification,
    items: list[Suggestion],
    criteria: CriteriaIndex,
    config: BlogConfig,
    on: date | None,
) -> Page:
    shown = for_certification(items, cert.id)
    kind = (
        "mandatory for the AI Engineer Certification"
        if cert.mandatory
        else "one of the optional certifications of the AI Engineer Certification"
    )
    lines = [
        escape_inline(config.page_intro.replace("{name}", cert.name)),
        "",
        f"{escape_inline(f'This certification is {kind}.')} [All certifications](../)",
        "",
    ]
    if not shown:
        lines += ["No suggestions are published for this certification yet.", ""]
    for suggestion in shown:
        lines += _suggestion_section(suggestion, cert, criteria)
    front = _front_matter(
        config,
        config.title_for(cert),
        config.subtitle_for(cert),
        _page_date(shown or items, on),
        (*config.tags, cert.id),
        config.permalink_for(cert),
    )
    return Page(f"{_folder(config)}/{cert.id}.md", front, "\n".join(lines))


def _suggestion_section(
    suggestion: Suggestion, cert: Certification, criteria: CriteriaIndex
) -> list[str]:
    names = {c.id: c.name for c in CERTIFICATIONS}
    facts = [
        f"**Difficulty:** {suggestion.difficulty}",
        f"**Effort:** {_hours(suggestion.estimated_hours)}",
    ]
    others = [c for c in suggestion.certifications if c != cert.id]
    if others:
        links = ", ".join(f"[{escape_inline(names[c])}](../{c}/)" for c in others)
        facts.append(f"**Also counts for:** {links}")
    titles = criteria.get(cert.id, {})
    lines = [f"## {escape_inline(suggestion.title)}", "", " · ".join(facts), ""]
    lines += [escape_inline(p) + "\n" for p in suggestion.summary.split("\n")]
    lines += ["### What it lets you demonstrate", ""]
    lines += [
        f"- {escape_inline(titles.get(c, c))}" for c in suggestion.demonstrates.get(cert.id, ())
    ]
    lines += ["", "### Datasets to start from", ""]
    for data in suggestion.datasets:
        entry = (
            f"- [{escape_inline(data.name)}]({_link_target(data.url)}) "
            f"(license: {escape_inline(data.license)})"
        )
        if data.note:
            entry += f": {escape_inline(data.note)}"
        lines.append(entry)
    lines += ["", "### Milestones", ""]
    lines += [f"{n}. {escape_inline(m)}" for n, m in enumerate(suggestion.milestones, start=1)]
    lines += ["", "### Stretch goals", ""]
    lines += [f"- {escape_inline(g)}" for g in suggestion.stretch_goals]
    lines += ["", "### What the interview will ask about", ""]
    lines += [f"- {escape_inline(q)}" for q in suggestion.interview_questions]
    lines.append("")
    return lines


def suggestion_markdown(
    suggestion: Suggestion, cert_id: str, criteria: CriteriaIndex | None = None
) -> str:
    """The Markdown of one suggestion as it appears on ``cert_id``'s page (for previews)."""
    cert = certification(cert_id)
    return "\n".join(_suggestion_section(suggestion, cert, criteria or {}))


def preview_html(markdown_text: str, link_root: str | None = None) -> str:
    """HTML of exported Markdown (a whole page or a section), for a preview outside Jekyll.

    Rendered as CommonMark with raw HTML off; the front matter and the raw-block markers are
    dropped. ``link_root`` replaces the ``../`` of the links between certification pages, so a
    preview can point them at its own pages. The blog itself renders with kramdown; for text
    escaped by :func:`escape_inline` both show the same words (smart quotes aside).
    """
    text = markdown_text
    if text.startswith("---\n"):
        text = text.split("---\n", 2)[2]
    text = text.replace(RAW_OPEN, "").replace(RAW_CLOSE, "")
    rendered: str = MarkdownIt("commonmark", {"html": False}).render(text)
    if link_root is not None:
        rendered = rendered.replace('href="../', f'href="{link_root}')
    return rendered


def _json_export(
    items: list[Suggestion], criteria: CriteriaIndex, config: BlogConfig, on: date | None
) -> str:
    def entry(s: Suggestion, cert_id: str) -> dict[str, Any]:
        data = suggestion_to_data(s)
        data["updated"] = s.updated.isoformat()
        del data["status"]
        titles = criteria.get(cert_id, {})
        data["criteria"] = [
            {"id": c, "title": titles.get(c, c)} for c in s.demonstrates.get(cert_id, ())
        ]
        return data

    index_date = _page_date(items, on)
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "title": config.index_title,
        "subtitle": config.index_subtitle,
        "permalink": config.permalink_base,
        "date": index_date.isoformat() if index_date else None,
        "certifications": [
            _json_certification(cert, items, config, on, entry) for cert in CERTIFICATIONS
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    return text + "\n"


def _json_certification(
    cert: Certification,
    items: list[Suggestion],
    config: BlogConfig,
    on: date | None,
    entry: Any,
) -> dict[str, Any]:
    shown = for_certification(items, cert.id)
    when = _page_date(shown or items, on)
    return {
        "id": cert.id,
        "name": cert.name,
        "mandatory": cert.mandatory,
        "title": config.title_for(cert),
        "subtitle": config.subtitle_for(cert),
        "permalink": config.permalink_for(cert),
        "date": when.isoformat() if when else None,
        "suggestions": [entry(s, cert.id) for s in shown],
    }


def write_export(files: Mapping[str, str], out: Path) -> list[Path]:
    """Write ``files`` under ``out`` (created as needed); returns the paths written, in order.
    Only the given files are touched: nothing else in ``out`` is removed."""
    written = []
    for rel, text in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(target)
    return written
