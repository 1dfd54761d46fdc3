"""Mermaid's own parser, in Chromium, accepts every example journey exported (issue 14).

Issue 14. Mermaid is the vendored ``static/vendor/mermaid-11.17.2/mermaid.min.js``,
loaded from the live server, and asked ``mermaid.parse(text)`` for every
example journey exported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.fileformat import load
from journeys.mermaid import read_mermaid, to_mermaid

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "journeys" / "examples").glob("*.json"))
MERMAID_JS = "/static/vendor/mermaid-11.17.2/mermaid.min.js"


def _parse(page, text: str) -> dict:
    """Return what Mermaid's own parser says of ``text``: ok, or its error."""
    return page.evaluate(
        """async (text) => {
            try {
                const r = await mermaid.parse(text);
                return {ok: true, type: r && r.diagramType};
            }
            catch (e) { return {ok: false, error: String(e && e.message || e)}; }
        }""",
        text,
    )


@pytest.fixture
def mermaid_page(page, live_server):
    page.goto(f"{live_server}/auth/signin")
    page.add_script_tag(url=live_server + MERMAID_JS)
    page.wait_for_function("typeof mermaid !== 'undefined'")
    page.evaluate("mermaid.initialize({startOnLoad: false})")
    return page


def test_mermaid_is_the_pinned_version(mermaid_page):
    assert (ROOT / "static/vendor/mermaid-11.17.2/LICENSE").read_text().startswith("The MIT")
    # A diagram that is not Mermaid is refused, so the parse below can fail.
    assert _parse(mermaid_page, "journey\n  section A\n    just words\n")["ok"] is False


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exported_to_mermaid_is_accepted_by_mermaid(mermaid_page, path):
    journey = load(path)
    text = to_mermaid(journey)
    assert _parse(mermaid_page, text) == {"ok": True, "type": "journey"}
    back = read_mermaid(text.encode(), "x.mmd").journey
    assert len(back.stages) == len(journey.stages)
    assert len(back.touchpoints) == len(journey.touchpoints)
