"""Brief + sheet rendering: HTML (escaped, printable), Markdown, JSON, PDF."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from reportfactory import make_report

from reviewer.errors import ReviewerError
from reviewer.render import (
    PDF_EXTRA_MESSAGE,
    html_to_pdf,
    render_html,
    render_json,
    render_markdown,
    write_sheet,
)
from reviewer.review import build_review
from reviewer.rubrics import load_rubrics

RUBRICS = load_rubrics(Path(__file__).resolve().parents[1] / "rubrics")


def _review(cert: str = "ml-expert", facts: dict | None = None, **kw: object):
    return build_review(make_report(facts, **kw), RUBRICS[cert], "Ada Lovelace")


def test_html_escapes_repository_controlled_text() -> None:
    hostile = '<script>alert("x")</script>'
    review = _review(
        facts={"dataset_sources": ([hostile], [f"src/{hostile}.py:3"])},
        metadata={"description": hostile},
    )
    html = render_html(review)
    assert hostile not in html
    assert "&lt;script&gt;" in html


def test_html_has_print_stylesheet_brief_sheet_and_pinned_links() -> None:
    review = _review()
    html = render_html(review)
    assert "@page" in html and "size: A4" in html and "break-inside: avoid" in html
    assert 'class="brief"' in html and 'class="sheet"' in html
    blob = f"https://github.com/alice/churn-model/blob/{review.report.commit}"
    assert f"{blob}/src/train.py#L17" in html
    for q in review.sheet.questions:
        assert f"Q{q.number}</strong>" in html
    for c in RUBRICS["ml-expert"].criteria:
        assert c.title in html


def test_html_fragment_embeds_without_document_shell() -> None:
    fragment = render_html(_review(), standalone=False)
    assert "<html" not in fragment and 'class="review"' in fragment


def test_markdown_has_facts_table_questions_and_links() -> None:
    review = _review()
    md = render_markdown(review)
    assert "| `sets_random_seed` | yes |" in md
    blob = f"https://github.com/alice/churn-model/blob/{review.report.commit}"
    assert f"({blob}/src/train.py#L17)" in md
    assert md.count("- [ ] **Q") == len(review.sheet.questions)


def test_markdown_escapes_values_that_would_become_markup() -> None:
    md = render_markdown(_review(facts={"dataset_sources": (["a|b*c"], ["src/d.py:1"])}))
    assert "a\\|b\\*c" in md


def test_json_carries_the_review_contract() -> None:
    data = json.loads(render_json(_review("genai")))
    for key in (
        "certification",
        "rubric_version",
        "commit",
        "criteria",
        "questions",
        "strengths",
        "red_flags",
        "time_plan",
    ):
        assert key in data
    assert {"id", "suggested_level", "reasons"} <= set(data["criteria"][0])
    assert {"criterion", "text", "guidance", "evidence"} <= set(data["questions"][0])
    assert all(isinstance(e, str) for q in data["questions"] for e in q["evidence"])


def test_local_repository_evidence_is_shown_without_links(tmp_path: Path) -> None:
    html = render_html(_review(owner=None))
    assert "github.com/alice" not in html
    assert '<code class="ev">src/train.py line 17</code>' in html


def test_pdf_sheet_is_written_with_weasyprint(tmp_path: Path) -> None:
    path = write_sheet(_review(), tmp_path / "sheet.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"


def test_pdf_without_weasyprint_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(ReviewerError) as err:
        html_to_pdf("<p>x</p>")
    assert str(err.value) == PDF_EXTRA_MESSAGE


def test_sheet_suffix_picks_the_format(tmp_path: Path) -> None:
    review = _review()
    assert write_sheet(review, tmp_path / "s.md").read_text().startswith("# Interview brief")
    assert "<!doctype html>" in write_sheet(review, tmp_path / "s.html").read_text()
    with pytest.raises(ValueError, match=r"\.html, \.md or \.pdf"):
        write_sheet(review, tmp_path / "s.docx")
