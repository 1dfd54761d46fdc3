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


def test_a_deployment_overrides_a_diagram_limit(app, signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
    assert "so the diagram files are drawn stage by stage" not in page
    app.config["DIAGRAM_MAX_TOUCHPOINTS"] = 2  # the tiny journey has 3
    page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
    assert "more than 2 touchpoints, so the diagram files are drawn stage by stage" in page


def test_the_diagram_module_keeps_no_second_copy_of_a_setting():
    assert not hasattr(diagrams, "setting")
