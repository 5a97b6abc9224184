"""Portfolio review engine: from a repository URL to evidence-backed facts, rubric-based
suggestions and an interview question sheet. The engine never imports the web app."""

from reviewer.errors import ReviewerError
from reviewer.inspect import inspect_repository
from reviewer.report import Fact, RepoRef, Report, ReportWarning
from reviewer.settings import Limits, Settings
from reviewer.targets import parse_repo_url
from reviewer.version import __version__

__all__ = [
    "Fact",
    "Limits",
    "RepoRef",
    "Report",
    "ReportWarning",
    "ReviewerError",
    "Settings",
    "__version__",
    "inspect_repository",
    "parse_repo_url",
]
