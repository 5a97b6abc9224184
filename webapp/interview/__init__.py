"""Interviewers and the interview side of staff and candidates (web app part 2).

Interviewers: dashboard, the interview page (brief, printable question sheet, scoring form with
autosave), reconciliation. Staff (``/interview/staff/...``): assignment, amendments with the
audit trail, exports. Candidates: their results and the notes meant for them.
"""

from flask import Blueprint

bp = Blueprint("interview", __name__)

from webapp.interview import (  # noqa: E402,F401  (routes attach to bp)
    candidate_views,
    export_views,
    reconcile_views,
    scoring_views,
    staff_views,
    views,
)
