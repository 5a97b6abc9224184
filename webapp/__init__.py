"""The web app: ``create_app(test_config=None)`` builds a configured Flask application.

Nothing happens at import time; the factory reads ``Settings.from_env()`` (unless the test
configuration hands in ``REVIEWER_SETTINGS``), binds the extensions, the database, the job
queue and the blueprints.
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from reviewer.program import ProgramConfig
    from reviewer.settings import Settings
    from webapp.blueprints import register_blueprints
    from webapp.config import build_config, load_secret_key
    from webapp.db import Database
    from webapp.errors import register_error_handlers
    from webapp.extensions import csrf, login_manager
    from webapp.queue import JobQueue
    from webapp.templating import register_templating

    app = Flask(__name__, instance_relative_config=False)
    test_config = dict(test_config or {})
    settings = test_config.get("REVIEWER_SETTINGS") or Settings.from_env()
    app.config.update(build_config(settings))
    app.config["PROGRAM_CONFIG"] = ProgramConfig()
    app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.config["REVIEWER_SETTINGS"].data_dir)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]

    Database(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    JobQueue(app)
    register_templating(app)
    register_error_handlers(app)
    register_blueprints(app)
    return app
