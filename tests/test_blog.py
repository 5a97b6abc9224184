"""The blog export: pages and front matter, determinism, escaping (checked with CommonMark here
and with a real Jekyll build when `jekyll` is on PATH), JSON, and the blog configuration."""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reviewer.blog import (
    RAW_CLOSE,
    RAW_OPEN,
    escape_inline,
    export_blog,
    load_blog_config,
)
from reviewer.errors import ConfigError
from reviewer.program_config import CERTIFICATIONS
from reviewer.suggestions import Suggestion, validate_suggestion

HOSTILE_TITLE = (
    "Evil {{ site }} {% include x %} <script>alert(1)</script> [click](javascript:alert(1))"
)
HOSTILE_SUMMARY = (
    "{% endraw %}{{ site.time }} closes the raw block? <img src=x onerror=alert(1)> "
    "&amp; | a | b | $$x$$ ~~gone~~ *bold* _it_ `code` \\ [ref]: https://evil.example\n\n"
    "# not a heading\n\n- not a list\n\n1. not ordered\n\n> not a quote\n\n: not a definition"
)

CRITERIA = {c.id: {f"{c.id}-crit": f"Criterion of {c.name}"} for c in CERTIFICATIONS}


def make(
    ident: str,
    certs: tuple[str, ...] = ("nlp",),
    *,
    title: str | None = None,
    summary: str | None = None,
    order: int = 10,
    updated: date = date(2026, 3, 1),
    status: str = "active",
    note: str | None = None,
) -> Suggestion:
    data: dict[str, Any] = {
        "id": ident,
        "title": title or f"Project {ident}",
        "status": status,
        "order": order,
        "updated": updated,
        "certifications": list(certs),
        "difficulty": "intermediate",
        "estimated_hours": 40,
        "summary": summary or f"A summary of {ident} that is long enough for the schema to accept.",
        "demonstrates": {c: [f"{c}-crit"] for c in certs},
        "datasets": [
            {
                "name": "Some data (v2)",
                "url": "https://example.org/data_(v2)",
                "license": "CC BY 4.0",
                **({"note": note} if note else {}),
            }
        ],
        "milestones": ["one", "two", "three"],
        "stretch_goals": ["more"],
        "interview_questions": ["why?", "how?"],
    }
    result = validate_suggestion(data, CRITERIA)
    assert result.suggestion is not None, result.problems
    return result.suggestion


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    assert text.startswith("---\n")
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data, body


@pytest.fixture
def items() -> list[Suggestion]:
    return [
        make("alpha", ("nlp", "genai"), order=20, updated=date(2026, 3, 5)),
        make("beta", ("nlp",), order=10, updated=date(2026, 2, 1)),
        make("gamma", ("mlops",), order=5, updated=date(2026, 1, 9)),
        make("retired-one", ("nlp",), status="retired", updated=date(2027, 1, 1)),
    ]


# -- pages and front matter --------------------------------------------------------------------


def test_jekyll_export_writes_an_index_and_one_page_per_certification(
    items: list[Suggestion],
) -> None:
    files = export_blog(items, criteria=CRITERIA)
    assert sorted(files) == sorted(
        ["suggested-projects/index.md"] + [f"suggested-projects/{c.id}.md" for c in CERTIFICATIONS]
    )


def test_pages_carry_title_subtitle_date_tags_and_permalink(items: list[Suggestion]) -> None:
    files = export_blog(items, criteria=CRITERIA)
    front, _ = front_matter(files["suggested-projects/nlp.md"])
    assert front == {
        "layout": "page",
        "title": "Suggested projects: Natural Language Processing",
        "subtitle": "Portfolio project ideas for the Natural Language Processing certification",
        "date": date(2026, 3, 5),
        "tags": ["suggested-projects", "ai-expert-certification", "nlp"],
        "permalink": "/suggested-projects/nlp/",
    }
    index, _ = front_matter(files["suggested-projects/index.md"])
    assert index["permalink"] == "/suggested-projects/" and "bigimg" not in index


def test_date_is_the_newest_update_on_the_page_unless_given(items: list[Suggestion]) -> None:
    files = export_blog(items)
    assert front_matter(files["suggested-projects/mlops.md"])[0]["date"] == date(2026, 1, 9)
    assert front_matter(files["suggested-projects/index.md"])[0]["date"] == date(2026, 3, 5)
    given_date = export_blog(items, on=date(2027, 5, 4))
    assert {front_matter(t)[0]["date"] for t in given_date.values()} == {date(2027, 5, 4)}


def test_bigimg_is_written_when_configured(items: list[Suggestion]) -> None:
    config = load_blog_config(bigimg="/img/triangle.jpg, /img/sphere.jpg")
    front, _ = front_matter(export_blog(items, config=config)["suggested-projects/index.md"])
    assert front["bigimg"] == [
        {"src": "/img/triangle.jpg", "desc": ""},
        {"src": "/img/sphere.jpg", "desc": ""},
    ]


def test_page_lists_active_suggestions_in_order_with_their_details(
    items: list[Suggestion],
) -> None:
    body = front_matter(export_blog(items, criteria=CRITERIA)["suggested-projects/nlp.md"])[1]
    headings = re.findall(r"^## (.+)$", body, flags=re.M)
    assert headings == ["Project beta", "Project alpha"]
    assert "retired" not in body
    assert "- Criterion of Natural Language Processing" in body
    assert "[Generative AI](../genai/)" in body  # alpha also counts for GenAI
    assert "(https://example.org/data_%28v2%29) (license: CC BY 4.0)" in body


def test_export_is_deterministic_whatever_the_input_order(items: list[Suggestion]) -> None:
    first = export_blog(items, criteria=CRITERIA)
    assert export_blog(list(reversed(items)), criteria=CRITERIA) == first
    assert export_blog(items, criteria=CRITERIA, fmt="json") == export_blog(
        list(reversed(items)), criteria=CRITERIA, fmt="json"
    )


def test_a_certification_without_suggestions_still_gets_a_page(items: list[Suggestion]) -> None:
    body = front_matter(export_blog(items)["suggested-projects/multimodal.md"])[1]
    assert "No suggestions are published for this certification yet." in body


# -- escaping ----------------------------------------------------------------------------------


ESCAPES = [
    ("liquid-output", "{{ site }}", "&#123;&#123; site &#125;&#125;"),
    ("liquid-tag", "{% endraw %}", "&#123;% endraw %&#125;"),
    ("html", "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("entity", "&amp;", "&amp;amp;"),
    ("link", "[a](javascript:x)", "\\[a\\](javascript:x)"),
    ("emphasis", "*a* _b_ `c`", "\\*a\\* \\_b\\_ \\`c\\`"),
    ("table-math-strike", "| $ ~", "&#124; &#36; &#126;"),
    ("heading", "# h", "\\# h"),
    ("bullet", "- x", "\\- x"),
    ("plus", "+ x", "\\+ x"),
    ("ordered", "12. x", "12\\. x"),
    ("ordered-paren", "3) x", "3\\) x"),
    ("definition", ": x", "\\: x"),
    ("setext", "=== x", "\\=== x"),
    ("whitespace", "  a \n\n b  ", "a b"),
    ("plain", "Plain text, with 3.5 numbers.", "Plain text, with 3.5 numbers."),
]


@pytest.mark.parametrize(
    ("text", "expected"), [e[1:] for e in ESCAPES], ids=[e[0] for e in ESCAPES]
)
def test_escape_inline_neutralises_markup(text: str, expected: str) -> None:
    assert escape_inline(text) == expected


def _render_commonmark(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": False}).render(markdown)


_MARKUP = "*_[]()#!<>&{}%|$~`\\:;-+=.,/?^@'\"\n\t 0123456789ab"


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
        st.text(alphabet=_MARKUP, max_size=40),
    )
)
def test_escaped_text_renders_as_exactly_that_text(text: str) -> None:
    expected = " ".join(re.sub(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]", "", text).split())
    escaped = escape_inline(text)
    assert not set("{}<>") & set(escaped)
    rendered = _render_commonmark(escaped)
    if not expected:
        assert rendered == ""
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    assert html.unescape(rendered[3:-5]) == expected


def test_hostile_text_cannot_leave_the_raw_block() -> None:
    hostile = make("hostile", title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY, note="{% endraw %}")
    for text in export_blog([hostile]).values():
        _, body = front_matter(text)
        assert body.count(RAW_OPEN) == 1 and body.startswith(RAW_OPEN)
        assert body.count(RAW_CLOSE) == 1 and body.endswith(RAW_CLOSE + "\n")
        inner = body[len(RAW_OPEN) : -len(RAW_CLOSE) - 1]
        assert "{{" not in inner and "{%" not in inner and "<" not in inner


def test_hostile_text_renders_inert_in_commonmark() -> None:
    hostile = make("hostile", title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY)
    body = front_matter(export_blog([hostile])["suggested-projects/nlp.md"])[1]
    rendered = _render_commonmark(body.replace(RAW_OPEN, "").replace(RAW_CLOSE, ""))
    assert "<script" not in rendered and "<img" not in rendered
    assert 'href="javascript' not in rendered and "<table" not in rendered
    assert "<h1" not in rendered and "<blockquote" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "{{ site }}" in html.unescape(rendered)


# -- JSON ---------------------------------------------------------------------------------------


def test_json_export_carries_every_certification_with_its_suggestions(
    items: list[Suggestion],
) -> None:
    files = export_blog(items, criteria=CRITERIA, fmt="json")
    assert list(files) == ["suggested-projects.json"]
    data = json.loads(files["suggested-projects.json"])
    assert data["schema_version"] == 1 and data["date"] == "2026-03-05"
    by_id = {c["id"]: c for c in data["certifications"]}
    assert list(by_id) == [c.id for c in CERTIFICATIONS]
    assert [s["id"] for s in by_id["nlp"]["suggestions"]] == ["beta", "alpha"]
    assert by_id["nlp"]["suggestions"][0]["criteria"] == [
        {"id": "nlp-crit", "title": "Criterion of Natural Language Processing"}
    ]
    assert by_id["multimodal"]["suggestions"] == []


def test_json_export_is_safe_to_inline_in_html() -> None:
    hostile = make("hostile", title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY)
    text = export_blog([hostile], fmt="json")["suggested-projects.json"]
    assert not set("<>&") & set(text)
    loaded = json.loads(text)
    assert loaded["certifications"][4]["suggestions"][0]["title"] == " ".join(HOSTILE_TITLE.split())


# -- configuration -----------------------------------------------------------------------------


BAD_CONFIG = [
    ("permalink-without-slashes", "permalink_base: projects\n", "permalink_base"),
    ("permalink-with-dots", "permalink_base: /../x/\n", "permalink_base"),
    ("html-in-title", "index_title: <b>Projects</b>\n", "index_title"),
    ("liquid-in-subtitle", "page_subtitle: '{{ site.title }}'\n", "page_subtitle"),
    ("unknown-key", "colour: red\n", "colour"),
    ("bad-tag", "tags: [Not A Slug]\n", "tags"),
    ("bad-bigimg", "bigimg: [{src: 'javascript:x'}]\n", "bigimg"),
    ("not-a-mapping", "- a\n", "must be a mapping"),
]


@pytest.mark.parametrize(
    ("text", "where"), [b[1:] for b in BAD_CONFIG], ids=[b[0] for b in BAD_CONFIG]
)
def test_bad_blog_configuration_is_refused_with_the_key(
    tmp_path: Path, text: str, where: str
) -> None:
    path = tmp_path / "blog.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=where):
        load_blog_config(path)


def test_blog_configuration_file_changes_the_pages(tmp_path: Path, items: list[Suggestion]) -> None:
    path = tmp_path / "blog.yaml"
    path.write_text(
        "permalink_base: /projects/ideas/\nlayout: null\npage_title: 'Ideas for {name}'\n"
        "bigimg: [{src: /img/hexagon.jpg, desc: Hexagon}]\n",
        encoding="utf-8",
    )
    config = load_blog_config(path, bigimg="/img/override.jpg")
    files = export_blog(items, config=config)
    front, _ = front_matter(files["projects/ideas/nlp.md"])
    assert front["title"] == "Ideas for Natural Language Processing"
    assert front["permalink"] == "/projects/ideas/nlp/" and "layout" not in front
    assert front["bigimg"] == [{"src": "/img/override.jpg", "desc": ""}]
    assert export_blog(items, config=config, fmt="json").keys() == {"projects-ideas.json"}


def test_unknown_format_is_refused(items: list[Suggestion]) -> None:
    with pytest.raises(ConfigError, match="Unknown blog format"):
        export_blog(items, fmt="html")  # type: ignore[arg-type]


# -- a real Jekyll build -----------------------------------------------------------------------


@pytest.fixture
def jekyll() -> str:
    """Jekyll's path; skipped when missing, except in CI (CI=true), where it must be there."""
    found = shutil.which("jekyll")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("jekyll is not on PATH, but CI=true requires the Jekyll build test")
        pytest.skip("jekyll is not installed (Debian: apt-get install jekyll)")
    return found


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


LAYOUT = (
    '<!doctype html><html lang="en"><head><title>{{ page.title | escape }}</title></head>'
    '<body><h1>{{ page.title | escape }}</h1><p class="sub">{{ page.subtitle | escape }}</p>'
    "{{ content }}</body></html>\n"
)


@pytest.mark.jekyll
def test_jekyll_builds_the_export_and_hostile_text_stays_inert(jekyll: str, tmp_path: Path) -> None:
    hostile = make(
        "hostile",
        ("nlp", "genai"),
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY,
        note="{% endraw %}{{ site.time }}",
    )
    friendly = make("friendly", ("mlops",), title="Drift monitoring for taxis")
    config = load_blog_config(bigimg="/img/triangle.jpg")
    src, dest = tmp_path / "src", tmp_path / "site"
    (src / "_layouts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: AI Expert Blog\nmarkdown: kramdown\n", "utf-8")
    (src / "_layouts" / "page.html").write_text(LAYOUT, encoding="utf-8")
    for rel, text in export_blog([hostile, friendly], criteria=CRITERIA, config=config).items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")

    done = subprocess.run(
        [jekyll, "build", "-s", str(src), "-d", str(dest)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JEKYLL_ENV": "production"},
    )
    assert done.returncode == 0, done.stdout + done.stderr

    index = (dest / "suggested-projects" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Suggested portfolio projects</h1>" in index
    assert "Drift monitoring for taxis" in index
    for cert in CERTIFICATIONS:
        page = (dest / "suggested-projects" / cert.id / "index.html").read_text(encoding="utf-8")
        assert f"<h1>Suggested projects: {html.escape(cert.name)}</h1>" in page

    page = (dest / "suggested-projects" / "nlp" / "index.html").read_text(encoding="utf-8")
    parser = _Elements()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "img" not in tags and "table" not in tags
    assert not [a for t, a in parser.tags if t == "a" and "javascript" in (a.get("href") or "")]
    text = html.unescape(page)
    assert "{{ site }}" in text and "{% include x %}" in text  # shown, not evaluated
    assert "{% endraw %}{{ site.time }}" in text
    assert "<script>alert(1)</script>" in text  # as text: the parser found no script element
    assert 'href="https://example.org/data_%28v2%29"' in page
    assert 'href="../genai/"' in page


@pytest.mark.jekyll
def test_jekyll_renders_escaped_markup_as_exactly_the_text(jekyll: str, tmp_path: Path) -> None:
    """kramdown is not CommonMark: 400 random strings of markup characters, built once."""
    rng = random.Random(20261201)
    samples = [
        " ".join("".join(rng.choice(_MARKUP) for _ in range(rng.randint(1, 30))).split())
        for _ in range(400)
    ]
    samples = [s for s in samples if s]
    src, dest = tmp_path / "src", tmp_path / "site"
    src.mkdir()
    (src / "_config.yml").write_text("markdown: kramdown\n", encoding="utf-8")
    body = "\n\n".join(f"MARK{i} {escape_inline(s)}" for i, s in enumerate(samples))
    (src / "p.md").write_text(
        f"---\npermalink: /p/\n---\n{RAW_OPEN}\n{body}\n{RAW_CLOSE}\n", encoding="utf-8"
    )
    done = subprocess.run(
        [jekyll, "build", "-s", str(src), "-d", str(dest)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page = (dest / "p" / "index.html").read_text(encoding="utf-8")
    rendered = dict(re.findall(r"<p>MARK(\d+) (.*?)</p>", page, flags=re.S))
    typography = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
    for i, text in enumerate(samples):
        shown = rendered.get(str(i))
        assert shown is not None and "<" not in shown, (text, shown)
        plain = html.unescape(shown).translate(typography)
        for typographic, ascii_form in (
            ("\u2013", "--"),
            ("\u2026", "..."),
            ("\u00ab", "<<"),
            ("\u00bb", ">>"),
            ("\u2014", "---"),
        ):
            plain = plain.replace(typographic, ascii_form)
        assert plain == text  # kramdown's smart quotes and dashes aside
