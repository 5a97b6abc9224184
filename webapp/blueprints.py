"""Which blueprints make up the app, by audience. Adding one is a line in a table.

``REQUIRED`` are always registered. ``OPTIONAL`` (or the app's ``OPTIONAL_BLUEPRINTS``) are
registered when their module exists and exposes ``bp`` (the interviewer and editor sides are
built separately); an import error *inside* an existing module is not hidden.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from flask import Blueprint, Flask

logger = logging.getLogger(__name__)

#: (module exposing ``bp``, URL prefix)
REQUIRED: tuple[tuple[str, str | None], ...] = (
    ("webapp.auth", "/auth"),
    ("webapp.candidate", None),
    ("webapp.admin", "/admin"),
)
OPTIONAL: tuple[tuple[str, str | None], ...] = (
    ("webapp.interview", "/interview"),
    ("webapp.editor", "/editor"),
)


def _load(module_name: str) -> Blueprint:
    bp: Blueprint = importlib.import_module(module_name).bp
    return bp


def register_blueprints(app: Flask) -> list[str]:
    registered = []
    for module_name, prefix in REQUIRED:
        app.register_blueprint(_load(module_name), url_prefix=prefix)
        registered.append(module_name)
    optional = app.config.get("OPTIONAL_BLUEPRINTS", OPTIONAL)
    for module_name, prefix in optional:
        if importlib.util.find_spec(module_name) is None:
            continue
        bp = getattr(importlib.import_module(module_name), "bp", None)
        if not isinstance(bp, Blueprint):
            logger.warning("%s has no blueprint `bp` yet; not registered", module_name)
            continue
        app.register_blueprint(bp, url_prefix=prefix)
        registered.append(module_name)
    app.extensions["blueprint_modules"] = tuple(registered)
    return registered
