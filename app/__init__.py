"""Claimpath's web app: accounts, journeys and the journey-map editor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from app import bigjourneys, database, requestlog, security, sharedstore
from app.config import DEFAULTS, settings

__all__ = ["create_app"]

_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Return the app, configured from the environment or from ``test_config``."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(_ROOT / "templates"),
        static_folder=str(_ROOT / "static"),
    )
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_mapping(settings(app.instance_path))
    else:
        app.config.from_mapping(test_config)
    register_extensions(app)
    app.url_map.converters["int"] = security.BoundedInt  # ids past the column's range: 404
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    security.register(app)
    database.register(app)
    requestlog.register(app)
    bigjourneys.register(app)
    sharedstore.register(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF protection and sign-in to the app."""
    from app import models  # noqa: F401  (the tables must be known to migrations)
    from app.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Register the shared helpers, sign-in, notifications, then each wing's screens."""
    from app import auth, editor, institution, notifications, report, review, ui

    wings = (*editor.BLUEPRINTS, *report.BLUEPRINTS, *review.BLUEPRINTS, *institution.BLUEPRINTS)
    for bp in (ui.bp, auth.bp, *wings):
        app.register_blueprint(bp)
    app.register_blueprint(notifications.bp)


def register_errorhandlers(app: Flask) -> None:
    """Serve every error page through one template."""
    from app import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    """Add the ``seed-demo`` command."""
    from app import backup, commands

    app.cli.add_command(commands.seed_demo)
    app.cli.add_command(backup.export_all)
    app.cli.add_command(backup.import_all)
