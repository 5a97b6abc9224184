"""Staff downloads: the audit trail (page, CSV, JSON) and the exports of results,
certificates and the refund ledger (``webapp.exports``)."""

from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from webapp import audit
from webapp.access import roles_required
from webapp.db import get_session
from webapp.exports import certificates as cert_export
from webapp.exports import formats
from webapp.exports import refunds as refund_export
from webapp.exports import results as result_export
from webapp.exports.filters import ExportFilter, FilterError, parse_filter
from webapp.interview import bp
from webapp.interview.paging import PER_PAGE, page_number
from webapp.interview.views import today
from webapp.models import Role

# -- audit trail -------------------------------------------------------------------------------


def _interview_filter() -> int | None:
    text = request.args.get("interview") or ""
    return int(text) if text.isdigit() else None


@bp.route("/staff/audit")
@roles_required(Role.STAFF)
def audit_trail() -> str:
    session = get_session()
    interview_id = _interview_filter()
    total = audit.count(session, interview_id)
    pages = max(1, -(-total // PER_PAGE))
    number = min(page_number(request.args.get("page")), pages)
    entries = audit.entries(session, interview_id, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    return render_template(
        "interview/audit.html",
        entries=entries,
        interview_id=interview_id,
        number=number,
        pages=pages,
        total=total,
    )


def _download(body: str, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/staff/audit.<any(csv, json):fmt>")
@roles_required(Role.STAFF)
def audit_export(fmt: str) -> Response:
    entries = audit.entries(get_session(), _interview_filter(), newest_first=False)
    if fmt == "csv":
        body = formats.to_csv(audit.COLUMNS, [e.to_json() for e in entries])
        return _download(body, "audit.csv", "text/csv")
    return _download(
        formats.to_json([e.to_json() for e in entries]), "audit.json", "application/json"
    )


# -- exports -----------------------------------------------------------------------------------


@bp.route("/staff/exports")
@roles_required(Role.STAFF)
def exports() -> str:
    return render_template("exports/index.html", problems={}, args={})


def _filter_or_page(need_certification: bool) -> ExportFilter | tuple[str, int]:
    try:
        return parse_filter(request.args, need_certification)
    except FilterError as err:
        return render_template("exports/index.html", problems=err.problems, args=request.args), 422


@bp.route("/staff/exports/results.<any(csv, json):fmt>")
@roles_required(Role.STAFF)
def export_results(fmt: str) -> Response | tuple[str, int]:
    flt = _filter_or_page(need_certification=fmt == "csv")
    if not isinstance(flt, ExportFilter):
        return flt
    columns, rows = result_export.rows(get_session(), flt)
    name = f"results-{flt.certification or 'all'}"
    if fmt == "csv":
        return _download(formats.to_csv(columns, rows), f"{name}.csv", "text/csv")
    payload = [{k: v for k, v in r.items() if not k.startswith("level:")} for r in rows]
    return _download(formats.to_json(payload), f"{name}.json", "application/json")


@bp.route("/staff/exports/certificates.<any(csv, json):fmt>")
@roles_required(Role.STAFF)
def export_certificates(fmt: str) -> Response | tuple[str, int]:
    flt = _filter_or_page(need_certification=False)
    if not isinstance(flt, ExportFilter):
        return flt
    rows = cert_export.rows(get_session(), flt, today(), current_app.config["PROGRAM_CONFIG"])
    if fmt == "csv":
        return _download(formats.to_csv(cert_export.COLUMNS, rows), "certificates.csv", "text/csv")
    return _download(formats.to_json(rows), "certificates.json", "application/json")


@bp.route("/staff/exports/refunds.<any(csv, json):fmt>")
@roles_required(Role.STAFF)
def export_refunds(fmt: str) -> Response | tuple[str, int]:
    flt = _filter_or_page(need_certification=False)
    if not isinstance(flt, ExportFilter):
        return flt
    rows = refund_export.rows(get_session(), flt)
    if fmt == "csv":
        return _download(
            formats.to_csv(refund_export.COLUMNS, rows), "refund-ledger.csv", "text/csv"
        )
    return _download(formats.to_json(rows), "refund-ledger.json", "application/json")
