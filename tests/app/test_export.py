"""Exports: diagram files, findings CSV, the journey JSON and the self-contained workshop report."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from app.report import exports
from tests.app.test_report import NASTY

DATED = r"\d{4}-\d\d-\d\d"

DIAGRAMS = [
    ("svg", "image/svg+xml", b"<?xml"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("pdf", "application/pdf", b"%PDF-"),
    ("dot", "text/vnd.graphviz", b"digraph"),
]


@pytest.fixture
def nasty_id(make_journey, tiny):
    """Return a journey whose middle touchpoint has a title made to break out of any markup."""
    document = tiny()
    document["touchpoints"][1]["title"] = NASTY
    return make_journey(document)


def _download(client, url: str, mimetype: str, name: str):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(rf'attachment; filename="tiny-journey-{name}-{DATED}\.\w+"', disposition)
    return response


class TestTheExportPage:
    def test_offers_every_export_by_its_name(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
        assert "<h2>Export</h2>" in page
        for name in ("Download SVG", "Download PNG", "Download PDF", "Download DOT"):
            assert f"download>{name}</a>" in page
        for name in ("Workshop report", "Download findings CSV", "Download JSON"):
            assert f">{name}</a>" in page
        assert f'href="/journeys/{journey_id}/export.json"' in page

    def test_is_a_tab_of_the_journey(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
        assert f'href="/journeys/{journey_id}/report"' in page
        assert f'href="/journeys/{journey_id}/export/"' in page


class TestDiagramFiles:
    @pytest.mark.parametrize(("fmt", "mimetype", "magic"), DIAGRAMS)
    def test_are_real_files_named_after_the_journey(
        self, signed_in, journey_id, fmt, mimetype, magic
    ):
        url = f"/journeys/{journey_id}/export/diagram.{fmt}"
        response = _download(signed_in, url, mimetype, "gap-diagram")
        assert response.data.startswith(magic)

    def test_svg_is_valid_xml_with_user_text_escaped(self, signed_in, nasty_id):
        url = f"/journeys/{nasty_id}/export/diagram.svg"
        svg = _download(signed_in, url, "image/svg+xml", "gap-diagram").data
        root = ET.fromstring(svg)
        tags = {element.tag.rpartition("}")[2] for element in root.iter()}
        assert "script" not in tags
        texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert '"x" <script>alert(1)</sc' in texts  # the label wraps after 24 characters
        tips = [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in root.iter()]
        assert any(tip.startswith(NASTY) for tip in tips)
        assert b"<script>" not in svg

    def test_dot_keeps_user_text_inside_its_label_and_tooltip(self, signed_in, nasty_id):
        url = f"/journeys/{nasty_id}/export/diagram.dot"
        dot = _download(signed_in, url, "text/vnd.graphviz", "gap-diagram").data.decode()
        assert "label=<&quot;x&quot; &lt;script&gt;alert(1)&lt;/sc" in dot  # an HTML label
        assert 'tooltip="\\"x\\" <script>alert(1)</script> ];' in dot  # quoted string

    def test_highlight_a_finding_on_request(self, signed_in, journey_id):
        plain = signed_in.get(f"/journeys/{journey_id}/export/diagram.svg").data
        lit = signed_in.get(f"/journeys/{journey_id}/export/diagram.svg?finding=1").data
        assert b"witness" in lit and b"witness" not in plain

    def test_stage_by_stage_says_so_in_the_name(self, signed_in, journey_id):
        url = f"/journeys/{journey_id}/export/diagram.pdf?stages=1"
        response = _download(signed_in, url, "application/pdf", "stage-diagram")
        assert response.data.startswith(b"%PDF-")

    def test_past_the_size_limit_is_drawn_stage_by_stage(self, app, signed_in, journey_id):
        app.config["DIAGRAM_MAX_TOUCHPOINTS"] = 1
        url = f"/journeys/{journey_id}/export/diagram.png"
        _download(signed_in, url, "image/png", "stage-diagram")
        page = signed_in.get(f"/journeys/{journey_id}/export/").get_data(as_text=True)
        assert "more than 1 touchpoints, so the diagram files are drawn stage by stage" in page

    def test_an_unknown_format_is_404(self, signed_in, journey_id):
        assert signed_in.get(f"/journeys/{journey_id}/export/diagram.gif").status_code == 404


class TestFindingsCsv:
    def test_has_a_row_per_finding_with_route_and_advice(self, signed_in, journey_id):
        url = f"/journeys/{journey_id}/export/findings.csv"
        response = _download(signed_in, url, "text/csv", "findings")
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
        report = signed_in.get(f"/journeys/{journey_id}/report").get_data(as_text=True)
        # One card per place on the page, but every finding keeps its anchor there.
        assert len(rows) == len(re.findall(r'id="finding-\d+"', report))
        first = rows[0]
        assert first["number"] == "1" and first["severity"] == "critical"
        assert first["credential"] == "Data Literacy Badge"
        assert first["route"] == "Welcome email → Module page → Badge issued email"
        assert first["route_ids"] == "welcome module issued"
        assert first["advice"].startswith("Explain what the credential represents")

    def test_keeps_user_text_as_text_not_formulas(self, signed_in, make_journey, tiny):
        document = tiny()
        document["touchpoints"][2]["title"] = '=HYPERLINK("http://evil.example","x")'
        journey = make_journey(document)
        text = signed_in.get(f"/journeys/{journey}/export/findings.csv").data.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert '\'=HYPERLINK("http://evil.example","x")' in cells
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


class TestJourneyJson:
    def test_is_named_after_the_journey_and_the_date(self, signed_in, journey_id, tiny):
        response = signed_in.get(f"/journeys/{journey_id}/export.json")
        disposition = response.headers["Content-Disposition"]
        assert re.fullmatch(rf'attachment; filename="tiny-journey-{DATED}\.json"', disposition)
        assert json.loads(response.data)["title"] == tiny()["title"]


class _Resources(HTMLParser):
    """Collect what a page would fetch: src and href of resources, stylesheets, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.scripts = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "link":
            self.links.append(values.get("href") or "")
        for name in ("src", "srcset", "poster", "data"):
            if values.get(name):
                self.fetched.append(values[name] or "")
        if tag in ("image", "use", "img", "iframe", "object", "embed"):
            self.fetched.append(values.get("href") or values.get("xlink:href") or "")


class TestWorkshopReport:
    def test_opens_in_the_browser_with_a_file_name(self, signed_in, journey_id):
        response = signed_in.get(f"/journeys/{journey_id}/export/workshop.html")
        assert response.status_code == 200 and response.mimetype == "text/html"
        disposition = response.headers["Content-Disposition"]
        name = rf'filename="tiny-journey-workshop-report-{DATED}\.html"'
        assert re.fullmatch(rf"inline; {name}", disposition)
        url = f"/journeys/{journey_id}/export/workshop.html?download=1"
        _download(signed_in, url, "text/html", "workshop-report")

    def test_holds_title_date_score_diagram_findings_coverage_and_shares(
        self, signed_in, journey_id
    ):
        page = signed_in.get(f"/journeys/{journey_id}/export/workshop.html").get_data(as_text=True)
        assert "<h1>Tiny journey</h1>" in page
        assert re.search(rf"Workshop report, {DATED} · revision 1", page)
        assert re.search(r"Score <strong>\d+</strong>", page)
        assert 'class="gap-diagram"' in page
        assert "Top findings" in page and "<strong>Advice:</strong>" in page
        assert '<ol class="route"' in page and "◆ not told" in page
        assert "<caption>Data Literacy Badge</caption>" in page and "✖ none" in page
        assert "80% of learners arrive" in page
        assert "@page" in page and "@media print" in page

    def test_makes_no_external_request(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/export/workshop.html").get_data(as_text=True)
        found = _Resources()
        found.feed(page)
        assert found.scripts == 0
        assert found.links == []
        assert found.fetched == []
        styles = " ".join(re.findall(r"<style>(.*?)</style>", page, re.S))
        assert "@import" not in styles
        assert re.findall(r"url\((?!#)", styles) == []
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)

    def test_links_nowhere_in_the_diagram(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/export/workshop.html").get_data(as_text=True)
        assert "xlink:href" not in page and "/touchpoints/" not in page

    def test_escapes_user_text(self, signed_in, nasty_id):
        page = signed_in.get(f"/journeys/{nasty_id}/export/workshop.html").get_data(as_text=True)
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_workshop_report_draws_stages_for_a_journey_too_dense_to_print(
    monkeypatch, signed_in, journey_id
):
    monkeypatch.setattr(exports, "WORKSHOP_TOUCHPOINTS", 2)
    page = signed_in.get(f"/journeys/{journey_id}/export/workshop.html").get_data(as_text=True)
    assert "Drawn stage by stage: 3 touchpoints are too many to read on a printed page" in page
    assert 'class="node stage' in page
