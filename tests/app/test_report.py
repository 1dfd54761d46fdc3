"""The gap report: what it shows, its inline diagram, the diagram cache and limits, access."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.models import Membership, User
from app.report import diagrams, screen
from journeys import render
from journeys.errors import RenderError
from tests.conftest import AuthActions

#: A touchpoint title that breaks out of HTML, SVG and DOT if anything forgets to escape it.
NASTY = '"x" <script>alert(1)</script> ];'


@pytest.fixture
def nasty_id(make_journey, tiny):
    """Return a journey whose middle touchpoint has the nasty title."""
    document = tiny()
    document["touchpoints"][1]["title"] = NASTY
    return make_journey(document)


@pytest.fixture
def renders(monkeypatch):
    """Count the engine's renders (every format) while still drawing for real."""
    calls: list[tuple[str, bool]] = []
    real = render.render_bytes

    def counted(analysis, fmt, **kwargs):
        calls.append((fmt, bool(kwargs.get("stage_level"))))
        return real(analysis, fmt, **kwargs)

    monkeypatch.setattr(render, "render_bytes", counted)
    return calls


@pytest.fixture
def strip(monkeypatch):
    """Draw the inline diagram as the strip, as journeys over 40 touchpoints get it.

    The tiny journey is otherwise laid out in rows for the screen (app.report.screen,
    tested in tests/app/test_screen_layout.py); these tests count the strip's renders.
    """
    monkeypatch.setattr(screen, "SCREEN_TOUCHPOINTS", 0)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


class TestTheReportPage:
    def test_shows_the_score_and_its_deductions(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert "<h2>Gap report</h2>" in page
        assert re.search(r"Score <strong>\d+</strong>", page)
        assert re.search(r"<li>-\d+ for \d+ critical missing-message finding", page)

    def test_says_how_many_learners_know_what_the_badge_represents(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert "learner will know what the Data Literacy Badge represents when it arrives" in page

    def test_groups_findings_by_severity_with_summary_and_advice(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        critical, warning = page.index("✖ Critical ("), page.index("⚠ Warning (")
        assert critical < warning
        assert "has been told what the Data Literacy Badge represents by then" in page
        assert "<strong>Advice:</strong> Explain what the credential represents" in page

    def test_draws_the_witness_as_a_route_stage_by_stage(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        route = page[page.index('<ol class="route"') :]
        route = route[: route.index("</article>")]
        stages = re.findall(r'<span class="leg-stage">([^<]+)</span>', route)
        assert stages == ["Enrol", "Learn", "Award"]
        assert ">Welcome email</a>" in route and ">Badge issued email</a>" in route
        assert "◆ not told" in route

    def test_links_each_route_step_to_its_edit_form(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert f'href="/journeys/{journey_id}/touchpoints/module/edit"' in page

    def test_shows_coverage_in_words_and_symbols(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert "<caption>Data Literacy Badge</caption>" in page
        for words in ("✔ all", "✖ none"):
            assert words in page
        assert "(issued here)" in page and "(journey ends here)" in page

    def test_shows_expected_shares_as_bars_with_numbers(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        shares = page[page.index('id="shares-heading"') :]
        assert "80% of learners arrive" in shares
        assert re.search(r'<svg class="bar"[^>]*aria-hidden="true"', shares)
        assert re.search(r'<span class="share-value">\d+(\.\d)?%</span>', shares)

    def test_a_journey_without_gaps_says_so(self, signed_in, make_journey, tiny):
        document = tiny()
        document["requirements"] = []
        document["touchpoints"][0]["owner"] = "faculty"
        document["touchpoints"][0]["audience"] = "employer"
        document["touchpoints"][0]["messages"] = {"data-lit": ["earned", "represents"]}
        # A credential nobody described is a gap of its own (undescribed-credential).
        document["credentials"][0].update(
            description="Reading data", criteria="Pass the project", skills=["Charts"]
        )
        page = _page(signed_in, f"/journeys/{make_journey(document)}/report")
        assert "No gaps found" in page


class TestTheInlineDiagram:
    def test_is_inline_svg_with_touchpoints_linked_to_their_edit_forms(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        svg = page[page.index("<svg") : page.rindex("</svg>")]
        assert 'class="gap-diagram"' in svg
        assert f'xlink:href="/journeys/{journey_id}/touchpoints/welcome/edit"' in svg
        assert 'id="gd-tp-welcome"' in svg  # ids prefixed: none collides with the page's

    def test_escapes_user_text_and_keeps_no_script(self, signed_in, nasty_id):
        page = _page(signed_in, f"/journeys/{nasty_id}/report")
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script" not in page[page.index("<svg") : page.rindex("</svg>")]

    def test_each_finding_links_to_its_highlight_without_javascript(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert f'href="/journeys/{journey_id}/report?finding=1#diagram"' in page
        highlighted = _page(signed_in, f"/journeys/{journey_id}/report?finding=1")
        assert "Highlighted: finding 1." in highlighted
        assert re.search(r'class="[^"]*\bwitness\b', highlighted)
        assert 'id="finding-1" aria-current="true"' in highlighted
        assert "witness" not in page[page.index("<svg") :]

    def test_ignores_a_finding_number_out_of_range(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report?finding=999")
        assert "Highlighted" not in page

    def test_the_panel_alone_serves_the_page_script(self, signed_in, journey_id):
        panel = _page(signed_in, f"/journeys/{journey_id}/report/diagram?finding=2")
        assert panel.lstrip().startswith('<p class="highlight-caption">')
        assert "<html" not in panel and 'class="gap-diagram"' in panel

    def test_draws_stage_by_stage_on_request(self, signed_in, journey_id):
        page = _page(signed_in, f"/journeys/{journey_id}/report?stages=1")
        assert 'aria-label="Gap diagram drawing, stage by stage"' in page
        assert "Touchpoint diagram</a>" in page


@pytest.mark.usefixtures("strip")
class TestTheDiagramCache:
    def test_a_second_view_is_served_from_the_cache(self, app, signed_in, journey_id, renders):
        _page(signed_in, f"/journeys/{journey_id}/report")
        assert renders == [("svg", False)]
        _page(signed_in, f"/journeys/{journey_id}/report")
        _page(signed_in, f"/journeys/{journey_id}/report/diagram")
        assert renders == [("svg", False)]
        files = {p.suffix for p in _folder(app).iterdir()}
        assert files == {".svg", ".inline"}

    def test_a_changed_journey_is_drawn_again(self, signed_in, journey_id, renders):
        _page(signed_in, f"/journeys/{journey_id}/report")
        response = signed_in.post(
            f"/journeys/{journey_id}/whatif",
            data={"fix": "say:issued:data-lit:represents", "revision": 1},
        )
        assert response.status_code == 302
        _page(signed_in, f"/journeys/{journey_id}/report")
        assert renders == [("svg", False), ("svg", False)]

    def test_each_highlight_is_cached_on_its_own(self, signed_in, journey_id, renders):
        for _ in range(2):
            _page(signed_in, f"/journeys/{journey_id}/report?finding=1")
            _page(signed_in, f"/journeys/{journey_id}/report?finding=2")
        assert len(renders) == 2

    def test_is_shared_by_workers_and_survives_a_restart(self, app, signed_in, journey_id, renders):
        _page(signed_in, f"/journeys/{journey_id}/report")
        second = create_app(dict(app.config))
        other = second.test_client()
        AuthActions(other).signin()
        _page(other, f"/journeys/{journey_id}/report")
        with second.app_context():
            db.engine.dispose()  # its pool would otherwise close a connection at random later
        assert len(renders) == 1

    def test_stays_within_its_size_bound(self, app, signed_in, journey_id):
        app.config["DIAGRAM_CACHE_BYTES"] = 30_000
        for n in range(1, 8):
            _page(signed_in, f"/journeys/{journey_id}/report?finding={n}")
        total = sum(p.stat().st_size for p in _folder(app).iterdir())
        assert total <= 30_000


def _folder(app) -> Path:
    return Path(app.config["DIAGRAM_CACHE_DIR"])


@pytest.mark.usefixtures("strip")
class TestTheLimits:
    def test_too_many_touchpoints_gets_a_message_and_the_stage_diagram(
        self, app, signed_in, journey_id, renders
    ):
        app.config["DIAGRAM_MAX_TOUCHPOINTS"] = 2
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert "This journey has 3 touchpoints, more than the 2" in page
        assert 'aria-label="Gap diagram drawing, stage by stage"' in page
        assert renders == [("svg", True)]

    def test_a_slow_layout_gets_a_message_and_the_stage_diagram(
        self, monkeypatch, signed_in, journey_id
    ):
        real = render.render_bytes
        calls = []

        def slow(analysis, fmt, **kwargs):
            calls.append(kwargs.get("stage_level"))
            if not kwargs.get("stage_level"):
                raise RenderError("Graphviz took longer than 0.1 s to lay out this journey")
            return real(analysis, fmt, **kwargs)

        monkeypatch.setattr(render, "render_bytes", slow)
        for _ in range(2):
            page = _page(signed_in, f"/journeys/{journey_id}/report")
            assert "took longer than the 15 s allowed, so it is drawn stage by stage" in page
            assert 'aria-label="Gap diagram drawing, stage by stage"' in page
        assert calls == [False, True]  # the failure is remembered: no second wait

    def test_a_real_time_out_is_a_message_never_a_500(self, app, signed_in, journey_id):
        app.config["DIAGRAM_TIMEOUT"] = 1e-6
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert "took longer than" in page or "could not be drawn" in page
        response = signed_in.get(f"/journeys/{journey_id}/export/diagram.svg")
        assert response.status_code in (200, 503)

    def test_a_missing_graphviz_is_a_message(self, monkeypatch, signed_in, journey_id):
        monkeypatch.setattr(render.shutil, "which", lambda _: None)
        page = _page(signed_in, f"/journeys/{journey_id}/report")
        assert "The gap diagram could not be drawn: Graphviz is not installed" in page
        assert "the findings below say the same in words" in page


ROUTES = [
    ("get", "/journeys/{j}/report"),
    ("get", "/journeys/{j}/report?finding=1"),
    ("get", "/journeys/{j}/report/diagram"),
    ("get", "/journeys/{j}/whatif?fix=say:issued:data-lit:represents"),
    ("post", "/journeys/{j}/whatif"),
    ("get", "/journeys/{j}/export/"),
    ("get", "/journeys/{j}/export/diagram.svg"),
    ("get", "/journeys/{j}/export/diagram.png"),
    ("get", "/journeys/{j}/export/diagram.pdf"),
    ("get", "/journeys/{j}/export/diagram.dot"),
    ("get", "/journeys/{j}/export/findings.csv"),
    ("get", "/journeys/{j}/export/workshop.html"),
]


class TestAccess:
    @pytest.mark.parametrize(("method", "url"), ROUTES)
    def test_someone_without_a_role_gets_404(self, client, auth, journey_id, method, url):
        auth.signout()
        auth.signup("eve@example.com")
        data = {"fix": "say:issued:data-lit:represents", "revision": 1}
        response = getattr(client, method)(url.format(j=journey_id), data=data)
        assert response.status_code == 404

    @pytest.mark.parametrize(("method", "url"), ROUTES)
    def test_signed_out_visitors_are_sent_to_sign_in(self, client, auth, journey_id, method, url):
        auth.signout()
        response = getattr(client, method)(url.format(j=journey_id))
        assert response.status_code == 302
        assert "/auth/signin" in response.headers["Location"]

    def test_a_viewer_reads_without_edit_links(self, app, client, auth, journey_id):
        auth.signout()
        auth.signup("vic@example.com")
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == "vic@example.com"))
            db.session.add(Membership(user=user, journey_id=journey_id, role="viewer"))
            db.session.commit()
        page = _page(client, f"/journeys/{journey_id}/report")
        assert "/touchpoints/" not in page
        assert _page(client, f"/journeys/{journey_id}/export/")


def test_inline_svg_drops_scripts_handlers_and_foreign_links():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b"<script>alert(1)</script><foreignObject><p>hi</p></foreignObject>"
        b'<g id="n" onload="x()" style="fill:url(javascript:x)">'
        b'<a xlink:href="https://evil.example/"><text>A</text></a>'
        b'<a xlink:href="//evil.example/"><text>B</text></a>'
        b'<a xlink:href="/journeys/1/touchpoints/a/edit"><text>C</text></a></g></svg>'
    )
    out = diagrams.inline_svg(svg)
    assert "script" not in out and "foreignObject" not in out and "onload" not in out
    assert "style" not in out and "evil" not in out
    assert 'xlink:href="/journeys/1/touchpoints/a/edit"' in out


@pytest.mark.usefixtures("strip")
class TestALargeJourney:
    @pytest.fixture
    def large(self, app, signed_in, journey_id):
        """Treat the tiny journey as large: its report page does not wait for the diagram."""
        app.config["DIAGRAM_DEFER_TOUCHPOINTS"] = 2
        return journey_id

    def test_does_not_wait_for_a_diagram_to_draw(self, signed_in, large, renders):
        page = _page(signed_in, f"/journeys/{large}/report?finding=1")
        assert "Drawing the diagram of this journey's 3 touchpoints" in page
        assert f'href="/journeys/{large}/report?finding=1&amp;draw=1#diagram"' in page
        assert renders == []

    def test_draws_it_when_asked_and_then_shows_it_from_the_cache(self, signed_in, large, renders):
        assert 'class="gap-diagram"' in _page(signed_in, f"/journeys/{large}/report/diagram")
        assert 'class="gap-diagram"' in _page(signed_in, f"/journeys/{large}/report")
        assert 'class="gap-diagram"' in _page(
            signed_in, f"/journeys/{large}/report?stages=1&draw=1"
        )
        assert renders == [("svg", False), ("svg", True)]
