"""The inline diagrams laid out by journeys.pages: the report's rows and the workshop's pages."""

from __future__ import annotations

import re

import pytest

from app.report import screen
from journeys import pages
from journeys.errors import RenderError


@pytest.fixture
def layouts(monkeypatch):
    """Count the screen layouts drawn, still drawing them for real."""
    calls: list[bool] = []
    real = pages.screen_svg

    def counted(analysis, **kwargs):
        calls.append(kwargs.get("highlight") is not None)
        return real(analysis, **kwargs)

    monkeypatch.setattr(pages, "screen_svg", counted)
    return calls


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_report_draws_rows_for_the_screen_once_per_highlight(signed_in, journey_id, layouts):
    page = _page(signed_in, f"/journeys/{journey_id}/report")
    assert 'data-layout="screen"' in page and "the legend is at the top" in page
    assert 'id="gd-tp-welcome"' in page and "Row 1 of" in page
    _page(signed_in, f"/journeys/{journey_id}/report")
    _page(signed_in, f"/journeys/{journey_id}/report/diagram?finding=1")
    _page(signed_in, f"/journeys/{journey_id}/report/diagram?finding=1")
    assert layouts == [False, True]


def test_past_40_touchpoints_or_on_failure_it_is_the_strip(monkeypatch, signed_in, journey_id):
    monkeypatch.setattr(screen, "SCREEN_TOUCHPOINTS", 2)
    page = _page(signed_in, f"/journeys/{journey_id}/report")
    assert 'data-layout="screen"' not in page and "the legend is on the right" in page
    monkeypatch.setattr(screen, "SCREEN_TOUCHPOINTS", 40)

    def broken(analysis, **kwargs):
        raise RenderError("Graphviz failed with exit status 1: no layout")

    monkeypatch.setattr(pages, "screen_svg", broken)
    page = _page(signed_in, f"/journeys/{journey_id}/report?finding=2")
    assert 'class="gap-diagram"' in page and 'data-layout="screen"' not in page


def test_the_workshop_report_prints_the_diagram_as_pages_with_ids_of_their_own(
    signed_in, journey_id
):
    page = _page(signed_in, f"/journeys/{journey_id}/export/workshop.html")
    sheets = re.findall(r'<svg [^>]*class="gap-diagram"[^>]*>', page)
    assert sheets and all('data-pages="' in s for s in sheets)
    assert f'viewBox="0 0 {pages.UPRIGHT.width:.2f} {pages.UPRIGHT.height:.2f}"' in sheets[0]
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert "Legend:" in page and "Page 1 of" in page
