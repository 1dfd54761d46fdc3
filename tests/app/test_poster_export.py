"""Issue 12 item 2 on the Export screen: the journey map poster beside the gap diagram."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from journeys.errors import RenderError
from journeys.pages import PAGES
from tests.journeys.test_poster import pdf_text

DATED = r"\d{4}-\d\d-\d\d"
EXAMPLE = Path(__file__).parents[2] / "journeys" / "examples" / "aged-care-local-credential.json"


def _options(page: str, select: str) -> list[str]:
    region = page.split(f'id="{select}"')[1].split("</select>")[0]
    return re.findall(r'<option value="(\w+)"', region)


def test_the_export_screen_offers_the_view_beside_the_page(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
    assert _options(page, "view") == ["gaps", "map"]
    assert '<label for="view">View</label>' in page
    assert '<option value="gaps" selected>Gap diagram</option>' in page
    assert '<option value="map">Journey map poster</option>' in page
    # One form sends both: the view and the page go to the same download.
    form = page.split('aria-labelledby="page-heading"')[1].split("</form>")[0]
    assert 'name="view"' in form and 'name="page"' in form


def test_a_poster_pdf_for_a4_prints_every_card_at_8_pt_or_more(signed_in, make_journey):
    document = json.loads(EXAMPLE.read_text())
    journey_id = make_journey(document)
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?view=map&page=a4")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert re.search(
        r'journey-map-a4-\d{4}-\d\d-\d\d\.pdf"', response.headers["Content-Disposition"]
    )
    count, text = pdf_text(response.data, PAGES["a4"])
    assert count > 1  # seven stages: more than one A4 page holds
    words = set(text.split())
    for tp in document["touchpoints"]:
        assert set(tp["title"].split()) <= words, tp["title"]


def test_a_poster_of_several_svg_pages_is_a_zip_and_fit_is_one_svg(signed_in, make_journey):
    journey_id = make_journey(json.loads(EXAMPLE.read_text()))
    paged = signed_in.get(f"/journeys/{journey_id}/export/diagram.svg?view=map&page=slide")
    assert paged.status_code == 200 and paged.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(paged.data))
    names = archive.namelist()
    assert names[:2] == ["page-1.svg", "page-2.svg"]
    for name in names:
        assert b'width="960.00pt" height="540.00pt"' in archive.read(name)
    fit = signed_in.get(f"/journeys/{journey_id}/export/diagram.svg?view=map")
    assert fit.status_code == 200 and fit.mimetype == "image/svg+xml"
    assert b'class="journey-map-poster"' in fit.data
    assert "journey-map-fit" in fit.headers["Content-Disposition"]


def test_a_poster_is_drawn_once_then_served_from_the_diagram_cache(
    signed_in, journey_id, monkeypatch
):
    url = f"/journeys/{journey_id}/export/diagram.pdf?view=map&page=letter"
    first = signed_in.get(url)
    assert first.status_code == 200

    def fail(*args, **kwargs):
        raise AssertionError("drawn again instead of served from the cache")

    monkeypatch.setattr("app.report.paged.poster_svgs", fail)
    again = signed_in.get(url)
    assert again.status_code == 200 and again.data == first.data
    # The gap diagram for the same page is another drawing, not the poster.
    monkeypatch.undo()
    gaps = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?page=letter")
    assert gaps.status_code == 200 and gaps.data != first.data


def test_unknown_views_and_a_dot_poster_get_a_message_not_a_file(signed_in, journey_id):
    base = f"/journeys/{journey_id}/export"
    response = signed_in.get(f"{base}/diagram.pdf?view=wall")
    assert response.status_code == 400
    assert "There is no view called &#39;wall&#39;" in response.get_data(as_text=True)
    dot = signed_in.get(f"{base}/diagram.dot?view=map")
    assert dot.status_code == 400
    assert "The journey map poster is SVG, PNG or PDF" in dot.get_data(as_text=True)
    page = signed_in.get(f"{base}/diagram.pdf?view=map&page=b5")
    assert page.status_code == 400
    assert "There is no page called &#39;b5&#39;" in page.get_data(as_text=True)


def test_past_the_size_limit_the_poster_is_drawn_stage_by_stage(app, signed_in, journey_id):
    app.config["DIAGRAM_MAX_TOUCHPOINTS"] = 1
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?view=map&page=a4")
    assert response.status_code == 200
    assert "stage-map-a4" in response.headers["Content-Disposition"]
    _, text = pdf_text(response.data, PAGES["a4"])  # on every page, nothing under 8 pt
    assert "draws card by card, so it is drawn stage by stage" in text


def test_past_the_time_limit_the_poster_falls_back_to_stages(signed_in, journey_id, monkeypatch):
    from app.report import paged
    from journeys import poster

    def slow(analysis, page, *, stage_level=False, **kwargs):
        if not stage_level:
            raise RenderError("laying out the journey map took longer than 15 s")
        return poster.poster_svgs(analysis, page, stage_level=True, **kwargs)

    monkeypatch.setattr(paged, "poster_svgs", slow)
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?view=map&page=a4")
    assert response.status_code == 200
    assert "stage-map-a4" in response.headers["Content-Disposition"]
