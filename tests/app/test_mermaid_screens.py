"""Download Mermaid on the Export screen and Mermaid diagrams on the Import screen (issue 14)."""

from __future__ import annotations

from pathlib import Path

from journeys.mermaid import read_mermaid

MERMAID = Path(__file__).resolve().parents[1] / "fixtures" / "interop" / "mermaid"


def test_download_mermaid_from_the_export_screen(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
    assert "Download Mermaid" in page
    response = signed_in.get(f"/journeys/{journey_id}/export/journey.mmd")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="tiny-journey-')
    text = response.get_data(as_text=True)
    assert text.startswith("journey\n  title Tiny journey\n  section Enrol\n")
    back = read_mermaid(text.encode(), "x.mmd").journey
    assert [t.title for t in back.touchpoints] == [
        "Welcome email",
        "Module page",
        "Badge issued email",
    ]


def test_import_screen_takes_a_mermaid_diagram(signed_in, upload):
    raw = (MERMAID / "platform-go-shopping.mmd").read_bytes()
    response = upload(raw, "shopping.mmd")
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Go shopping" in page and "Get car keys" in page


def test_import_screen_refuses_a_stray_line_with_its_number(signed_in, upload):
    raw = (MERMAID / "cypress-title-styling-stray-line.mmd").read_bytes()
    response = upload(raw, "stray.mmd")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "line 21:" in page and "is not a task" in page
