"""Analyse once per revision: the analysis and diagram caches, and the journeys list's queries."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from pathlib import Path

import pdfplumber
import pytest
from cachetools import LRUCache
from sqlalchemy import event

from app import analysis, convert, create_app
from app.extensions import db
from app.models import Journey
from app.report import diagrams
from journeys import fixes, pages
from journeys.errors import RenderError
from tests.conftest import AuthActions

FIX = "say:issued:data-lit:represents"


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch) -> None:
    """Start each test with an empty analysis cache: equal journeys of other tests share entries."""
    monkeypatch.setattr(analysis, "_CACHE", LRUCache(maxsize=analysis.CACHE_SIZE))


@pytest.fixture
def analysed(monkeypatch) -> list[int]:
    """Count the engine's analyses (and still analyse), each entry the touchpoint count."""
    calls: list[int] = []
    real = analysis.analyse
    # Count from an empty cache: the journey map seen on import has analysed it already.
    monkeypatch.setattr(analysis, "_CACHE", type(analysis._CACHE)(maxsize=analysis.CACHE_SIZE))

    def counted(source):
        calls.append(len(source.touchpoints))
        return real(source)

    monkeypatch.setattr(analysis, "analyse", counted)
    return calls


@pytest.fixture
def built(monkeypatch) -> list[int]:
    """Count the engine journeys built from a journey's rows (and still build them)."""
    calls: list[int] = []
    real = convert.to_engine

    def counted(journey):
        calls.append(journey.id)
        return real(journey)

    monkeypatch.setattr(convert, "to_engine", counted)
    return calls


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _score(page: str) -> int:
    return int(re.search(r"Score <strong>(\d+)</strong>", page).group(1))


class TestTheAnalysisCache:
    def test_a_second_view_of_the_report_analyses_nothing_and_builds_nothing(
        self, signed_in, journey_id, analysed, built
    ):
        first = _text(signed_in, f"/journeys/{journey_id}/report")
        assert analysed == [3]
        del built[:]
        second = _text(signed_in, f"/journeys/{journey_id}/report")
        assert analysed == [3]  # a hit: the engine is not asked again ...
        assert built == []  # ... and the journey is not even built from its rows
        assert _score(second) == _score(first)

    def test_every_screen_of_one_revision_shares_one_analysis(
        self, signed_in, journey_id, analysed
    ):
        for url in ("report", "report/diagram", "export/", "export/findings.csv", "comments/"):
            signed_in.get(f"/journeys/{journey_id}/{url}")
        assert analysed == [3]

    def test_a_touchpoint_form_reads_the_kept_analysis_and_never_analyses(
        self, signed_in, journey_id, analysed, built
    ):
        form = f"/journeys/{journey_id}/touchpoints/welcome/edit"
        # Nothing kept yet: the form builds the journey from its rows but analyses nothing
        # (an analysis of 20,000 touchpoints takes minutes).
        assert "Data Literacy" in _text(signed_in, form)
        assert analysed == [] and len(built) == 1
        _text(signed_in, f"/journeys/{journey_id}/report")
        del built[:]
        assert "Data Literacy" in _text(signed_in, form)
        assert analysed == [3] and built == []

    def test_a_new_revision_is_analysed_anew(self, signed_in, journey_id, analysed):
        before = _score(_text(signed_in, f"/journeys/{journey_id}/report"))
        response = signed_in.post(
            f"/journeys/{journey_id}/whatif", data={"fix": FIX, "revision": 1}
        )
        assert response.status_code == 302
        del analysed[:]
        after = _score(_text(signed_in, f"/journeys/{journey_id}/report"))
        assert analysed == [3]
        assert after > before  # the fix told learners what the badge represents

    def test_a_what_if_preview_is_kept_by_the_digest_of_its_content(
        self, app, signed_in, journey_id, analysed
    ):
        _text(signed_in, f"/journeys/{journey_id}/whatif?fix={FIX}")
        assert analysed == [3, 3]  # today's journey, then the one with the fix
        _text(signed_in, f"/journeys/{journey_id}/whatif?fix={FIX}")
        assert analysed == [3, 3]
        with app.app_context():
            source = convert.to_engine(db.session.get(Journey, journey_id))
            tried = analysis.gaps_of(fixes.apply(source, [FIX]))
        assert tried.key == analysis.content_key(fixes.apply(source, [FIX]))
        assert tried.key[0] == "digest"
        assert analysed == [3, 3]  # an equal journey built anew is the same entry

    def test_the_history_of_the_latest_revision_shares_the_reports_analysis(
        self, signed_in, journey_id, analysed
    ):
        _text(signed_in, f"/journeys/{journey_id}/report")
        page = _text(signed_in, f"/journeys/{journey_id}/history/1")
        assert analysed == [3]
        assert "Welcome" in page

    def test_requests_missing_one_revision_at_once_analyse_it_once(
        self, monkeypatch, app, journey_id
    ):
        calls = []
        real = analysis.analyse

        def slow(source):
            calls.append(1)
            time.sleep(0.3)  # long enough for every thread to miss meanwhile
            return real(source)

        monkeypatch.setattr(analysis, "analyse", slow)
        with app.app_context():
            source = convert.to_engine(db.session.get(Journey, journey_id))
        key = analysis.revision_key(journey_id, 1, "at once")
        found = []
        threads = [
            threading.Thread(target=lambda: found.append(analysis.gaps_of(source, key)))
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert calls == [1]
        assert len(found) == 4 and all(gaps is found[0] for gaps in found)


class TestTheDiagramCache:
    def test_a_shared_store_plugged_in_holds_the_diagrams(self, app, signed_in, journey_id):
        class Shared:
            def __init__(self) -> None:
                self.kept: dict[str, bytes] = {}

            def get(self, name: str) -> bytes | None:
                return self.kept.get(name)

            def put(self, name: str, data: bytes) -> None:
                self.kept[name] = data

        shared = app.extensions[diagrams.STORE] = Shared()
        first = _text(signed_in, f"/journeys/{journey_id}/export/diagram.svg")
        assert shared.kept
        assert not Path(app.config["DIAGRAM_CACHE_DIR"]).exists()  # nothing in the folder
        assert _text(signed_in, f"/journeys/{journey_id}/export/diagram.svg") == first

    def test_a_database_made_anew_never_gets_the_old_ones_diagrams(self, tmp_path, tiny):
        folder = tmp_path / "shared-diagrams"
        titles = []
        for n, title in enumerate(("First database's welcome", "Second database's welcome")):
            app = create_app(
                {
                    "TESTING": True,
                    "SECRET_KEY": "t",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / f'db{n}.sqlite'}",
                    "WTF_CSRF_ENABLED": False,
                    "DIAGRAM_CACHE_DIR": str(folder),
                }
            )
            with app.app_context():
                db.create_all()
            client = app.test_client()
            AuthActions(client).signup()
            document = tiny()
            document["touchpoints"][0]["title"] = title
            response = client.post(
                "/import",
                data={"file": (io.BytesIO(json.dumps(document).encode()), "t.json"), "title": ""},
                content_type="multipart/form-data",
            )
            assert response.status_code == 302
            journey_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
            assert journey_id == 1  # the same id, and revision 1, in both databases
            titles.append(
                client.get(f"/journeys/{journey_id}/export/diagram.svg").get_data(as_text=True)
            )
            with app.app_context():
                db.engine.dispose()
        assert "First database" in titles[0]
        assert "Second database" in titles[1] and "First database" not in titles[1]

    def test_a_paged_drawing_that_fails_is_not_tried_again(
        self, monkeypatch, signed_in, journey_id
    ):
        real = pages.paged_svgs
        calls = []

        def slow(analysis, page, **kwargs):
            calls.append(kwargs.get("stage_level"))
            if not kwargs.get("stage_level"):
                raise RenderError("Graphviz took longer than 0.1 s to lay out this journey")
            return real(analysis, page, **kwargs)

        monkeypatch.setattr(pages, "paged_svgs", slow)
        for _ in range(2):
            response = signed_in.get(f"/journeys/{journey_id}/export/diagram.pdf?page=a4")
            assert response.status_code == 200
            assert "stage-diagram-a4" in response.headers["Content-Disposition"]
        assert calls == [False, True]  # the second request waits for nothing
        with pdfplumber.open(io.BytesIO(response.data)) as pdf:
            assert "drawn stage by stage" in pdf.pages[0].extract_text(x_tolerance=1)


def _statements(app, client, url: str) -> int:
    """Return how many SQL statements answering ``url`` sends."""
    sent = []

    def count(*_args) -> None:
        sent.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        _text(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


class TestTheJourneysList:
    @pytest.mark.parametrize("url", ["/", "/trash"])
    def test_makes_the_same_queries_for_3_journeys_as_for_12(
        self, app, signed_in, make_journey, tiny, url
    ):
        counts = {}
        made = 0
        for total in (3, 12):
            while made < total:
                make_journey(tiny(title=f"Journey {made:02d}"))
                made += 1
            if url == "/trash":
                for journey_id in range(1, total + 1):
                    signed_in.post(f"/journeys/{journey_id}/delete")
            first = _statements(app, signed_in, url)
            again = _statements(app, signed_in, url)
            counts[total] = (first, again)
            if url == "/trash":
                for journey_id in range(1, total + 1):
                    signed_in.post(f"/journeys/{journey_id}/restore")
        assert counts[3] == counts[12]

    def test_validates_each_journey_at_most_once_a_view_and_then_not_at_all(
        self, monkeypatch, signed_in, make_journey, tiny
    ):
        for n in range(4):
            make_journey(tiny(title=f"Journey {n}"))
        loaded = []
        real = analysis.fileformat.from_data

        def counted(document):
            loaded.append(document["title"])
            return real(document)

        monkeypatch.setattr(analysis.fileformat, "from_data", counted)
        page = _text(signed_in, "/")
        assert sorted(loaded) == sorted(set(loaded))  # at most once each
        del loaded[:]
        again = _text(signed_in, "/")
        assert loaded == []  # from the cache, by revision
        for n in range(4):
            assert f"Journey {n}</a>" in again
        assert page.count('class="score"') == again.count('class="score"') == 4


class TestTheReportPageOfAManyFindingJourney:
    def test_lists_a_bounded_number_of_cards_and_counts_the_rest(self, app, signed_in, journey_id):
        full = _text(signed_in, f"/journeys/{journey_id}/report")
        assert 'id="finding-1"' in full and "not listed here" not in full
        app.config["REPORT_CARDS"] = 0
        page = _text(signed_in, f"/journeys/{journey_id}/report")
        assert 'id="finding-1"' not in page
        assert re.search(r"\d+ more critical places? not listed here", page)
        assert f'href="/journeys/{journey_id}/export/findings.csv">findings CSV</a>' in page
        assert _score(page) == _score(full)  # the score and counts still say everything

    def test_still_lists_the_highlighted_findings_card(self, app, signed_in, journey_id):
        app.config["REPORT_CARDS"] = 0
        page = _text(signed_in, f"/journeys/{journey_id}/report?finding=1")
        assert 'id="finding-1"' in page
