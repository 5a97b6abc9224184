"""Error pages written for the person who sees them (and the same status codes for tools)."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Bad request", "The form could not be read. Go back, reload the page and try again."),
    403: ("Not allowed", "Your account cannot open this page."),
    404: ("Not found", "There is nothing at this address, or it is not yours to see."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    413: ("File too large", "The file is larger than this site accepts."),
    429: ("Too many attempts", "Please wait a little and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again later."),
}


def _page(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(code, ("Error", "Something went wrong."))
    return render_template("error.html", code=code, title=title, message=detail or message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError) -> tuple[str, int]:
        return _page(
            400,
            "The form had expired or did not come from this site. Reload the page and send it "
            "again.",
        )

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> tuple[str, int]:
        code = err.code or 500
        detail = err.description if code == 429 else None
        return _page(code, detail)
