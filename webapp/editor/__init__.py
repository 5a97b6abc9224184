"""Blog editors: maintain the suggested portfolio projects and export them for the blog.

Templates live in ``webapp/editor/templates/editor/``, the stylesheet and the preview script
in ``webapp/static/editor/``; the table is ``webapp.editor.models.SuggestedProject``.
"""

from flask import Blueprint

bp = Blueprint("editor", __name__, template_folder="templates")

from webapp.editor import models as models  # noqa: E402  (the table joins Base.metadata)
from webapp.editor import views  # noqa: E402,F401  (routes attach to bp)
