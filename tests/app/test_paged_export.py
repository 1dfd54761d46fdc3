"""Issue 12 on the Export screen: diagrams laid out for a page, and the slide deck."""

from __future__ import annotations

import io
import re
import zipfile

import pdfplumber
from pptx import Presentation

DATED = r"\d{4}-\d\d-\d\d"


def test_the_export_screen_offers_the_page_choices_and_slides(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
    options = re.findall(r'<option value="(\w+)"', page.split('id="page"')[1].split("</select>")[0])
    assert options == ["fit", "a4", "letter", "a3", "slide"]
    assert '<label for="page">Page</label>' in page
    assert f'href="/journeys/{journey_id}/export/slides.pptx" download>Download slides</a>' in page


def test_a_pdf_for_a4_has_a4_pages_and_nothing_under_8_pt(signed_in, journey_id):
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?page=a4")
    assert response.status_code == 200
    assert re.search(
        rf'filename="tiny-journey-gap-diagram-a4-{DATED}\.pdf"',
        response.headers["Content-Disposition"],
    )
    with pdfplumber.open(io.BytesIO(response.data)) as pdf:
        for p in pdf.pages:
            assert (round(p.width), round(p.height)) == (842, 595)
            assert min(c["size"] for c in p.chars) >= 8


def test_a_slide_png_is_1920_by_1080_or_a_zip_of_them(signed_in, journey_id):
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.png?page=slide")
    assert response.status_code == 200
    files = [response.data]
    if response.mimetype == "application/zip":
        files = [
            zipfile.ZipFile(io.BytesIO(response.data)).read(n)
            for n in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
        ]
    for png in files:
        assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (
            1920,
            1080,
        )


def test_an_unknown_page_gets_a_message_not_a_file(signed_in, journey_id):
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?page=b5")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is no page called &#39;b5&#39;" in text and "a4, letter, a3, slide" in text
    dot = signed_in.get(f"/journeys/{journey_id}/export/diagram.dot?page=a4")
    assert dot.status_code == 400 and "DOT source has no page" in dot.get_data(as_text=True)


def test_download_slides_is_an_editable_deck(signed_in, journey_id):
    response = signed_in.get(f"/journeys/{journey_id}/export/slides.pptx")
    assert response.status_code == 200
    assert re.search(
        rf'filename="tiny-journey-slides-{DATED}\.pptx"', response.headers["Content-Disposition"]
    )
    deck = Presentation(io.BytesIO(response.data))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "Tiny journey" or titles[0].lower().startswith("tiny")
    assert titles[-1] == "Suggested fixes"
    assert any(sh.has_table for s in deck.slides for sh in s.shapes)


def test_a_cached_page_export_is_served_from_the_diagram_cache(app, signed_in, journey_id):
    url = f"/journeys/{journey_id}/export/diagram.pdf?page=letter"
    first = signed_in.get(url).data
    folder = app.config.get("DIAGRAM_CACHE_DIR") or f"{app.instance_path}/diagrams"
    import pathlib

    cached = list(pathlib.Path(folder).glob("*.pdf"))
    assert cached, "the paged PDF is kept in the diagram cache"
    assert signed_in.get(url).data == first


def test_past_the_size_limit_pages_are_drawn_stage_by_stage(app, signed_in, journey_id):
    app.config["DIAGRAM_MAX_TOUCHPOINTS"] = 1
    response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?page=a4")
    assert response.status_code == 200
    assert "stage-diagram-a4" in response.headers["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(response.data)) as pdf:
        assert "drawn stage by stage" in pdf.pages[0].extract_text(x_tolerance=1)
