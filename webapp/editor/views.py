"""The editor pages: browse and filter, create, edit, preview, retire, reorder, export.

Every page works without JavaScript (forms and buttons); ``editor/static/preview.js`` only
refreshes the preview while the editor types. Decorators check roles; the store functions
do the work; the engine's schema validates.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from reviewer.blog import (
    FORMATS,
    BlogConfig,
    export_blog,
    load_blog_config,
    preview_html,
    suggestion_markdown,
)
from reviewer.errors import ConfigError, DataError
from reviewer.program_config import CERTIFICATION_IDS, CERTIFICATIONS, certification
from reviewer.settings import Settings
from reviewer.suggestions import (
    DIFFICULTIES,
    STATUSES,
    CriteriaIndex,
    Suggestion,
    default_suggestions_dir,
    load_rubric_criteria,
    validate_suggestion,
)
from webapp.access import roles_required
from webapp.db import get_session
from webapp.editor import bp, formdata, store
from webapp.models import Role, utcnow

EDITORS = (Role.EDITOR, Role.STAFF)
EXPORTS = {
    "jekyll": ("suggested-projects-blog.zip", "application/zip"),
    "json": ("suggested-projects.json", "application/json"),
    "files": ("suggested_projects.zip", "application/zip"),
}

#: The order of the form's fields, for the error summary.
FIELD_ORDER = {
    name: n
    for n, name in enumerate(
        ["id", "title", "summary", "certifications"]
        + [f"demonstrates-{c}" for c in CERTIFICATION_IDS]
        + ["difficulty", "estimated_hours"]
        + [f"datasets-{i}-{p}" for i in range(20) for p in formdata.DATASET_PARTS]
        + ["milestones", "stretch_goals", "interview_questions", "status", "order"]
    )
}


def _settings() -> Settings:
    settings: Settings = current_app.config["REVIEWER_SETTINGS"]
    return settings


def _criteria() -> CriteriaIndex:
    try:
        return load_rubric_criteria(_settings())
    except (DataError, ConfigError) as err:
        current_app.logger.error("rubrics could not be loaded: %s", err)
        abort(500)


def _today() -> date:
    return utcnow().date()


def _user_id() -> int | None:
    return getattr(current_user, "id", None)


def _filters(args: dict[str, str]) -> store.Filters:
    cert = args.get("cert") or None
    difficulty = args.get("difficulty") or None
    status = args.get("status") or None
    return store.Filters(
        certification=cert if cert in CERTIFICATION_IDS else None,
        difficulty=difficulty if difficulty in DIFFICULTIES else None,
        status=status if status in STATUSES else None,
    )


def _filter_args(filters: store.Filters) -> dict[str, str]:
    return {
        k: v
        for k, v in (
            ("cert", filters.certification),
            ("difficulty", filters.difficulty),
            ("status", filters.status),
        )
        if v
    }


@bp.route("/")
@roles_required(*EDITORS)
def index() -> str:
    session = get_session()
    if store.count(session) == 0:
        source = default_suggestions_dir(_settings())
        try:
            added = store.seed_from_files(session, source, _criteria())
            session.commit()
        except DataError as err:
            session.rollback()
            flash(f"The suggestion files in {source} could not be loaded: {err}", "error")
        except IntegrityError:  # another editor's first visit seeded the table just now
            session.rollback()
        else:
            if added:
                flash(f"Loaded {added} suggestions from the project's files.", "success")
    filters = _filters(request.args.to_dict())
    return render_template(
        "editor/index.html",
        suggestions=store.listed(session, filters),
        filters=filters,
        filter_args=_filter_args(filters),
        certifications=CERTIFICATIONS,
        difficulties=DIFFICULTIES,
        statuses=STATUSES,
        formats=FORMATS,
    )


def _render_edit(
    form: formdata.EditorForm,
    criteria: CriteriaIndex,
    *,
    ident: str | None,
    preview: tuple[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return (
        render_template(
            "editor/edit.html",
            form=form,
            ident=ident,
            criteria=criteria,
            certifications=CERTIFICATIONS,
            difficulties=DIFFICULTIES,
            statuses=STATUSES,
            preview=preview,
            error_links=formdata.error_links(form, FIELD_ORDER),
        ),
        status,
    )


def _preview_of(s: Suggestion, criteria: CriteriaIndex) -> tuple[str, str]:
    cert = s.certifications[0]
    html = preview_html(
        suggestion_markdown(s, cert, criteria), link_root=url_for("editor.page_preview")
    )
    return certification(cert).name, html


def _validated(
    form: formdata.EditorForm, criteria: CriteriaIndex
) -> tuple[Suggestion | None, formdata.Record]:
    record = formdata.to_record(form, _today())
    result = validate_suggestion(record.data, criteria)
    formdata.attach(form, result.problems, record)
    return result.suggestion, record


def _handle_post(
    form: formdata.EditorForm, criteria: CriteriaIndex, ident: str | None
) -> BaseResponse | tuple[str, int]:
    session = get_session()
    suggestion, record = _validated(form, criteria)
    if suggestion is not None and ident is not None and suggestion.id != ident:
        form.add_error("id", "The id of a suggestion cannot change.")
        suggestion = None
    action = request.form.get("action", "save")
    if suggestion is None:
        return _render_edit(form, criteria, ident=ident, status=422)
    if action == "preview":
        return _render_edit(form, criteria, ident=ident, preview=_preview_of(suggestion, criteria))
    if ident is None:
        problems = store.create(session, suggestion, _user_id())
    else:
        problems = store.update(session, suggestion, form.revision, _user_id())
    if problems:
        session.rollback()
        formdata.attach(form, problems, record)
        return _render_edit(form, criteria, ident=ident, status=409)
    session.commit()
    flash(f"Saved \u201c{suggestion.title}\u201d.", "success")
    return redirect(url_for("editor.index"))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new() -> BaseResponse | tuple[str, int]:
    criteria = _criteria()
    if request.method == "POST":
        return _handle_post(formdata.from_request(request.form, criteria), criteria, None)
    return _render_edit(formdata.blank(store.next_position(get_session())), criteria, ident=None)


@bp.route("/<ident>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(ident: str) -> BaseResponse | tuple[str, int]:
    criteria = _criteria()
    row = store.get(get_session(), ident)
    if row is None:
        abort(404)
    previous = store.suggestion_of(row)
    if request.method == "POST":
        form = formdata.from_request(request.form, criteria, previous)
        form.values["id"] = ident
        return _handle_post(form, criteria, ident)
    return _render_edit(formdata.from_suggestion(previous, row.revision), criteria, ident=ident)


@bp.route("/preview-fragment", methods=["POST"])
@roles_required(*EDITORS)
def preview_fragment() -> tuple[str, int]:
    """The preview region of the edit page, for the script that refreshes it as one types."""
    criteria = _criteria()
    ident = request.form.get("editing") or None
    form = formdata.from_request(request.form, criteria)
    if ident:
        form.values["id"] = ident
    suggestion, _ = _validated(form, criteria)
    preview = _preview_of(suggestion, criteria) if suggestion is not None else None
    status = 200 if suggestion is not None else 422
    return render_template("editor/_preview.html", preview=preview, form=form), status


def _back_to_list() -> BaseResponse:
    filters = _filters(request.form.to_dict())
    return redirect(url_for("editor.index", **_filter_args(filters)))


@bp.route("/<ident>/status", methods=["POST"])
@roles_required(*EDITORS)
def set_status(ident: str) -> BaseResponse:
    status = request.form.get("to", "")
    if status not in STATUSES:
        abort(400)
    session = get_session()
    changed = store.set_status(session, ident, status, _today(), _user_id())
    if changed is None:
        abort(404)
    session.commit()
    verb = "Retired" if status == "retired" else "Restored"
    flash(f"{verb} \u201c{changed.title}\u201d.", "success")
    return _back_to_list()


@bp.route("/<ident>/move", methods=["POST"])
@roles_required(*EDITORS)
def move(ident: str) -> BaseResponse:
    direction = request.form.get("direction", "")
    session = get_session()
    filters = _filters(request.form.to_dict())
    if store.move(session, ident, direction, filters, _today(), _user_id()):
        session.commit()
        flash(f"Moved {ident} {direction}.", "success")
    else:
        flash(f"{ident} cannot move further {direction} in this list.", "error")
    return _back_to_list()


@bp.route("/preview/", defaults={"cert": None})
@bp.route("/preview/<cert>/")
@roles_required(*EDITORS)
def page_preview(cert: str | None) -> str:
    """A blog page as it will be exported (front matter shown as a table)."""
    if cert is not None and cert not in CERTIFICATION_IDS:
        abort(404)
    config = _blog_config()
    files = export_blog(store.all_suggestions(get_session()), criteria=_criteria(), config=config)
    folder = config.permalink_base.strip("/")
    text = files[f"{folder}/{cert or 'index'}.md"]
    front = text.split("---\n", 2)[1]
    root = url_for("editor.page_preview")
    html = preview_html(text, link_root=root)
    if cert is None:  # the index links to "nlp/"; point those at the preview pages too
        for c in CERTIFICATION_IDS:
            html = html.replace(f'href="{c}/"', f'href="{root}{c}/"')
    return render_template(
        "editor/page_preview.html",
        cert=certification(cert) if cert else None,
        front_matter=front,
        body=html,
        certifications=CERTIFICATIONS,
    )


def _blog_config() -> BlogConfig:
    settings = _settings()
    try:
        return load_blog_config(settings.blog_config, settings.blog_bigimg)
    except ConfigError as err:
        current_app.logger.error("blog configuration: %s", err)
        abort(500)


@bp.route("/export")
@roles_required(*EDITORS)
def export() -> BaseResponse:
    """Downloads: the Jekyll pages (zip), the JSON, or the suggestion files (zip)."""
    kind = request.args.get("format", "jekyll")
    if kind not in EXPORTS:
        abort(400)
    on: date | None = None
    if request.args.get("date"):
        try:
            on = date.fromisoformat(request.args["date"])
        except ValueError:
            flash("The export date must look like 2025-01-31.", "error")
            return redirect(url_for("editor.index"))
    session = get_session()
    if kind == "files":
        payload = store.zip_bytes(store.export_files(session), "suggested_projects/")
    else:
        files = export_blog(
            store.all_suggestions(session),
            criteria=_criteria(),
            config=_blog_config(),
            fmt="json" if kind == "json" else "jekyll",
            on=on,
        )
        payload = (
            store.zip_bytes(files) if kind == "jekyll" else next(iter(files.values())).encode()
        )
    name, mimetype = EXPORTS[kind]
    return Response(
        payload,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
