"""Program staff: accounts, knowledge-test results, submissions and the job queue."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from webapp.admin import views  # noqa: E402,F401  (routes attach to bp)
