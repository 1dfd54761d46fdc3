"""Every setting and its default lives in app.config.DEFAULTS, the diagram limits included."""

from __future__ import annotations

from app.config import DEFAULTS
from app.report import diagrams


def test_the_diagram_limits_have_their_defaults_in_the_config(app):
    for key in (
        "DIAGRAM_TIMEOUT",
        "DIAGRAM_MAX_TOUCHPOINTS",
        "DIAGRAM_CACHE_BYTES",
        "DIAGRAM_CACHE_DIR",
        "DIAGRAM_DEFER_TOUCHPOINTS",
    ):
        assert key in DEFAULTS
        assert key in app.config
    assert not hasattr(diagrams, "DEFAULTS")


def test_a_deployment_overrides_a_diagram_limit(app):
    app.config["DIAGRAM_MAX_TOUCHPOINTS"] = 3
    with app.app_context():
        assert diagrams.setting("DIAGRAM_MAX_TOUCHPOINTS") == 3
