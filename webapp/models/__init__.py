"""The app's tables. Import models from here: ``from webapp.models import User``."""

from webapp.models import interviews as interviews  # the interview tables (webapp part 2)
from webapp.models.accounts import Role, User
from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.evaluations import (
    KNOWLEDGE,
    PORTFOLIO,
    Attempt,
    Certificate,
    ExternalCredit,
    Fee,
    ImportBatch,
    Refund,
    RefundBudgetEntry,
)
from webapp.models.reviews import (
    Inspection,
    InspectionState,
    Job,
    JobState,
    RateLimitEvent,
    Submission,
    SubmissionState,
)

__all__ = [
    "KNOWLEDGE",
    "PORTFOLIO",
    "Attempt",
    "Base",
    "Certificate",
    "ExternalCredit",
    "Fee",
    "ImportBatch",
    "Inspection",
    "InspectionState",
    "Job",
    "JobState",
    "RateLimitEvent",
    "Refund",
    "RefundBudgetEntry",
    "Role",
    "Submission",
    "SubmissionState",
    "UTCDateTime",
    "User",
    "utcnow",
]

# The editors' table lives with its blueprint; importing it here registers it on Base.metadata
# so that migrations (autogenerate) see every table.
from webapp.editor import models as editor_models  # noqa: E402, F401
