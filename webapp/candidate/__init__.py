"""The candidate's pages: dashboard, submitting a repository, a submission's status."""

from flask import Blueprint

bp = Blueprint("candidate", __name__)

from webapp.candidate import views  # noqa: E402,F401  (routes attach to bp)
