"""The editor pages: roles, seeding, the round trip files → database → export, create/edit with
validation that keeps the editor's input, preview, retire, reorder and downloads."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from websupport import PASSWORD, create_user
from werkzeug.datastructures import MultiDict

from reviewer.suggestions import (
    Suggestion,
    check_suggestions,
    load_rubric_criteria,
    load_suggestions,
)
from webapp.db import get_database
from webapp.editor import formdata, store
from webapp.editor.models import SuggestedProject

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "suggested_projects"
EDITOR_ONLY = (("webapp.editor", "/editor"),)


@pytest.fixture
def app(make_app, sqlite_url):
    return make_app(sqlite_url, OPTIONAL_BLUEPRINTS=EDITOR_ONLY)


@pytest.fixture
def editor(client, auth, make_user):
    make_user("ed@example.org", "editor")
    auth.login("ed@example.org")
    return client


@pytest.fixture(scope="module")
def criteria() -> dict[str, dict[str, str]]:
    return load_rubric_criteria()


@pytest.fixture(scope="module")
def shipped(criteria) -> tuple[Suggestion, ...]:
    return load_suggestions(SHIPPED, criteria)


def fields(form: formdata.EditorForm) -> MultiDict[str, str]:
    """The POST body a browser sends for this form."""
    data: MultiDict[str, str] = MultiDict()
    for name, value in form.values.items():
        data.add(name, value)
    for cert in form.certifications:
        data.add("certifications", cert)
    for cert, ids in form.demonstrates.items():
        for criterion in ids:
            data.add(f"demonstrates-{cert}", criterion)
    for i, row in enumerate(form.datasets):
        for part, value in row.items():
            data.add(f"datasets-{i}-{part}", value)
    data.add("revision", str(form.revision))
    return data


def valid_new(**changes: str) -> MultiDict[str, str]:
    form = formdata.EditorForm(
        values={
            "id": "edge-ocr-benchmark",
            "title": "OCR on a phone, measured honestly",
            "status": "active",
            "order": "15",
            "difficulty": "intermediate",
            "estimated_hours": "40",
            "summary": "Build a text recognition pipeline for receipts that runs on a phone.\n\n"
            "Measure character error rate and latency on a stated device.",
            "milestones": "Collect data\nTrain a model\nMeasure it",
            "stretch_goals": "Quantise it",
            "interview_questions": "Why this metric?\nWhere does latency go?",
        },
        certifications=["computer-vision"],
        demonstrates={"computer-vision": ["cv-evaluation", "cv-deployment-efficiency"]},
        datasets=[
            {
                "name": "CORD",
                "url": "https://github.com/clovaai/cord",
                "license": "CC BY 4.0",
                "note": "",
            }
        ],
    )
    form.values.update(changes)
    return fields(form)


def rows(app) -> list[SuggestedProject]:
    with get_database(app).session() as session:
        return list(session.scalars(select(SuggestedProject).order_by(SuggestedProject.id)))


# -- who may open the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "candidate", "interviewer", "editor", "staff"])
@pytest.mark.parametrize("path", ["/editor/", "/editor/new", "/editor/preview/", "/editor/export"])
def test_editor_pages_answer_by_role(client, auth, make_user, role: str, path: str) -> None:
    if role != "anonymous":
        make_user(f"{role}@example.org", role)
        auth.login(f"{role}@example.org")
    response = client.get(path)
    if role in ("editor", "staff"):
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_every_editor_route_declares_its_roles(app) -> None:
    editor_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("editor.")]
    assert editor_rules
    for rule in editor_rules:
        assert app.view_functions[rule.endpoint].allowed_roles == {"editor", "staff"}


def test_posts_without_a_csrf_token_are_refused(make_app, sqlite_url, make_user) -> None:
    app = make_app(sqlite_url, OPTIONAL_BLUEPRINTS=EDITOR_ONLY, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    create_user(app, "ed@example.org", "editor")
    login = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token is not None
    client.post(
        "/auth/login",
        data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert client.get("/editor/").status_code == 200
    assert client.post("/editor/new", data=valid_new()).status_code == 400
    assert client.post("/editor/credit-default-cost-sensitive/status",
                       data={"to": "retired"}).status_code == 400  # fmt: skip


# -- seeding and the round trip ------------------------------------------------------------------


def test_first_visit_seeds_the_table_from_the_files_once(app, editor) -> None:
    page = editor.get("/editor/").get_data(as_text=True)
    count = len(list(SHIPPED.glob("*.yaml")))
    assert f"Loaded {count} suggestions" in page
    assert f"{count} suggestions</h2>" in page
    editor.get("/editor/")
    assert len(rows(app)) == count


def test_files_to_database_to_export_gives_the_same_files(make_app, db_url, criteria) -> None:
    app = make_app(db_url, OPTIONAL_BLUEPRINTS=EDITOR_ONLY)
    with get_database(app).session() as session:
        assert store.seed_from_files(session, SHIPPED, criteria) == len(
            list(SHIPPED.glob("*.yaml"))
        )
    with get_database(app).session() as session:
        files = store.export_files(session)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED.glob("*.yaml")}
    assert files == on_disk
    get_database(app).dispose()


def test_downloaded_suggestion_files_are_the_seed_files_byte_for_byte(app, editor) -> None:
    editor.get("/editor/")
    response = editor.get("/editor/export?format=files")
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="suggested_projects.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"suggested_projects/{p.name}" for p in SHIPPED.glob("*.yaml"))
        for name in names:
            assert archive.read(name) == (ROOT / name).read_bytes(), name
    assert editor.get("/editor/export?format=files").data == response.data  # deterministic


# -- create, validate, preview -------------------------------------------------------------------


def test_create_saves_a_valid_suggestion_in_canonical_form(app, editor, tmp_path) -> None:
    editor.get("/editor/")
    response = editor.post("/editor/new", data=valid_new(action="save"))
    assert response.status_code == 302
    page = editor.get("/editor/?cert=computer-vision").get_data(as_text=True)
    assert "OCR on a phone, measured honestly" in page
    with get_database(app).session() as session:
        files = store.export_files(session)
    (tmp_path / "out").mkdir()
    for name, text in files.items():
        (tmp_path / "out" / name).write_text(text, encoding="utf-8")
    checked = check_suggestions(tmp_path / "out", load_rubric_criteria())
    assert checked.ok, [str(p) for p in checked.problems]
    created = next(s for s in checked.suggestions if s.id == "edge-ocr-benchmark")
    assert created.summary.count("\n") == 1 and created.order == 15
    assert created.demonstrates == {
        "computer-vision": ("cv-evaluation", "cv-deployment-efficiency")
    }


def test_invalid_form_keeps_every_input_and_names_each_field(app, editor) -> None:
    data = valid_new(
        title="Tiny", estimated_hours="lots", difficulty="", milestones="Only one step"
    )
    data.setlist("datasets-0-url", ["javascript:alert(1)"])
    data.add("datasets-1-name", "Half-filled dataset")
    data.setlist("demonstrates-computer-vision", [])
    response = editor.post("/editor/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for typed in ("Tiny", "lots", "Only one step", "javascript:alert(1)", "Half-filled dataset",
                  "Measure character error rate and latency"):  # fmt: skip
        assert typed in page, typed
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    expected = {
        "title": "The title is too short: write at least 5 characters.",
        "estimated_hours": "The estimated hours must be a whole number.",
        "difficulty": "Choose a difficulty.",
        "milestones": "Milestones: needs at least 3 items (has 1).",
        "datasets-0-url": "Dataset 1: the web address must be an http(s) URL",
        "datasets-1-url": "Dataset 2: the web address is required.",
        "certifications-computer-vision": "Tick at least one criterion of the Computer Vision",
    }
    for anchor, message in expected.items():
        assert f'href="#{anchor}">{message}' in summary, (anchor, summary)
    assert re.search(r'id="title"[^>]*aria-invalid="true"', page)
    assert 'aria-describedby="estimated_hours-hint estimated_hours-error"' in page
    assert rows(app) == []  # nothing was saved


MESSAGES = [
    ("blank-id", {"id": ""}, "id", "The id is required."),
    ("bad-id", {"id": "Not A Slug"}, "id", "The id must be a slug"),
    ("blank-title", {"title": "  "}, "title", "The title is required."),
    ("negative-position", {"order": "-5"}, "order", "The position must be 0 or more."),
    ("no-difficulty", {"difficulty": ""}, "difficulty", "Choose a difficulty."),
    ("long-question", {"interview_questions": "ok?\n" + "why " * 80}, "interview_questions",
     "Interview questions, line 2: is too long: at most 300 characters."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "anchor", "message"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES]
)
def test_form_problems_are_worded_for_editors(
    editor, changes: dict[str, str], anchor: str, message: str
) -> None:
    page = editor.post("/editor/new", data=valid_new(**changes)).get_data(as_text=True)
    assert f'href="#{anchor}">{message}' in page
    assert f'id="{anchor}-error"' in page or anchor == "difficulty"


def test_preview_shows_the_blog_section_with_hostile_text_inert(editor) -> None:
    data = valid_new(title="<script>alert(1)</script> {{ site }}", action="preview")
    response = editor.post("/editor/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = page[page.index('id="preview-body"') :]
    assert "As it will appear on the Computer Vision page" in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ site }}</h2>" in preview
    assert "<script>alert" not in page
    assert "Inference, efficiency and deployment" in preview  # criterion titles, not ids
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; {{ site }}"' in page  # input kept


def test_preview_fragment_answers_with_the_preview_region(editor) -> None:
    ok = editor.post("/editor/preview-fragment", data=valid_new())
    assert ok.status_code == 200 and "<h2>OCR on a phone, measured honestly</h2>" in ok.get_data(
        as_text=True
    )
    bad = editor.post("/editor/preview-fragment", data=valid_new(title=""))
    assert bad.status_code == 422 and "problems listed above" in bad.get_data(as_text=True)


def test_creating_a_taken_id_is_refused_with_the_input_kept(editor) -> None:
    editor.get("/editor/")
    response = editor.post(
        "/editor/new", data=valid_new(id="credit-default-cost-sensitive", action="save")
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "is already the id of another suggestion" in page
    assert "OCR on a phone, measured honestly" in page


# -- edit ------------------------------------------------------------------------------------------


def _edit_form(app, ident: str) -> formdata.EditorForm:
    with get_database(app).session() as session:
        row = store.get(session, ident)
        assert row is not None
        return formdata.from_suggestion(store.suggestion_of(row), row.revision)


def test_saving_an_unchanged_suggestion_changes_only_its_date(app, editor, shipped) -> None:
    editor.get("/editor/")
    ident = "readmission-grouped-splits"  # its criteria are not in rubric order: kept as they are
    response = editor.post(f"/editor/{ident}/edit", data=fields(_edit_form(app, ident)))
    assert response.status_code == 302
    with get_database(app).session() as session:
        saved = store.suggestion_of(store.get(session, ident))
    before = next(s for s in shipped if s.id == ident)
    assert saved.model_copy(update={"updated": before.updated}) == before


def test_an_edit_made_meanwhile_is_not_overwritten(app, editor) -> None:
    editor.get("/editor/")
    ident = "bank-marketing-pipeline"
    stale = _edit_form(app, ident)
    first = _edit_form(app, ident)
    first.values["title"] = "Edited first by someone else"
    assert editor.post(f"/editor/{ident}/edit", data=fields(first)).status_code == 302
    stale.values["title"] = "My own edit"
    response = editor.post(f"/editor/{ident}/edit", data=fields(stale))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this suggestion after you opened it" in page
    assert 'value="My own edit"' in page
    with get_database(app).session() as session:
        assert store.get(session, ident).title == "Edited first by someone else"


def test_unknown_suggestion_is_404(editor) -> None:
    editor.get("/editor/")
    assert editor.get("/editor/no-such-thing/edit").status_code == 404
    assert editor.post("/editor/no-such-thing/status", data={"to": "retired"}).status_code == 404


# -- retire, restore, reorder --------------------------------------------------------------------


def _blog_nlp_page(editor) -> str:
    archive = zipfile.ZipFile(io.BytesIO(editor.get("/editor/export?format=jekyll").data))
    return archive.read("suggested-projects/nlp.md").decode()


def test_retired_suggestions_leave_the_blog_and_can_come_back(app, editor) -> None:
    editor.get("/editor/")
    title = "Extractive question answering that knows when the answer is not there"
    assert title in _blog_nlp_page(editor)
    response = editor.post(
        "/editor/extractive-qa-unanswerable/status", data={"to": "retired", "cert": "nlp"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/editor/?cert=nlp"
    assert title not in _blog_nlp_page(editor)
    assert "(retired)" not in editor.get("/editor/?status=retired").get_data(as_text=True)
    assert title in editor.get("/editor/?status=retired").get_data(as_text=True)
    editor.post("/editor/extractive-qa-unanswerable/status", data={"to": "active"})
    assert title in _blog_nlp_page(editor)


def _order(app, cert: str) -> list[str]:
    with get_database(app).session() as session:
        return [s.id for s in store.listed(session, store.Filters(certification=cert))]


def test_move_trades_places_with_the_neighbour_in_the_filtered_list(app, editor) -> None:
    editor.get("/editor/")
    before = _order(app, "multimodal")
    second = before[1]
    response = editor.post(f"/editor/{second}/move", data={"direction": "up", "cert": "multimodal"})
    assert response.headers["Location"] == "/editor/?cert=multimodal"
    after = _order(app, "multimodal")
    assert after[:2] == [before[1], before[0]] and after[2:] == before[2:]
    editor.post(f"/editor/{second}/move", data={"direction": "up", "cert": "multimodal"})
    assert _order(app, "multimodal") == after  # already first: nothing moves
    page = editor.get("/editor/?cert=multimodal").get_data(as_text=True)
    assert "cannot move further up" in page


def test_move_breaks_ties_by_renumbering(make_app, db_url, criteria) -> None:
    app = make_app(db_url, OPTIONAL_BLUEPRINTS=EDITOR_ONLY)
    with get_database(app).session() as session:
        store.seed_from_files(session, SHIPPED, criteria)
        for ident in ("image-text-retrieval", "accessible-visual-qa"):
            row = store.get(session, ident)
            s = store.suggestion_of(row).model_copy(update={"order": 600})
            store.update(session, s, row.revision, None)
    before = _order(app, "multimodal")
    assert before[:2] == ["accessible-visual-qa", "image-text-retrieval"]  # tie: by id
    with get_database(app).session() as session:
        from datetime import date

        filters = store.Filters(certification="multimodal")
        assert store.move(session, "image-text-retrieval", "up", filters, date(2027, 1, 1), None)
    assert _order(app, "multimodal")[:2] == ["image-text-retrieval", "accessible-visual-qa"]
    get_database(app).dispose()


# -- downloads and page previews -------------------------------------------------------------------


def test_blog_download_is_the_cli_export(app, editor) -> None:
    editor.get("/editor/")
    response = editor.get("/editor/export?format=jekyll&date=2027-02-03")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = sorted(archive.namelist())
        index = archive.read("suggested-projects/index.md").decode()
    assert len(names) == 8 and "date: 2027-02-03" in index
    data: dict[str, Any] = json.loads(editor.get("/editor/export?format=json").data)
    assert len(data["certifications"]) == 7
    bad = editor.get("/editor/export?format=jekyll&date=someday")
    assert bad.status_code == 302
    assert editor.get("/editor/export?format=pdf").status_code == 400


def test_page_preview_shows_front_matter_and_links_to_other_previews(editor) -> None:
    editor.get("/editor/")
    page = editor.get("/editor/preview/nlp/").get_data(as_text=True)
    assert "permalink: /suggested-projects/nlp/" in page
    assert 'href="/editor/preview/genai/"' in page  # "also counts for" links stay in the preview
    index = editor.get("/editor/preview/").get_data(as_text=True)
    assert 'href="/editor/preview/mlops/"' in index
    assert editor.get("/editor/preview/astrology/").status_code == 404
