"""Issue 9: true history under concurrent saves, and no 500 from ordinary trouble."""

from __future__ import annotations

import json
import os
import sqlite3
import threading

import pytest
from flask import Flask

from app import convert, create_app, database
from app.extensions import db
from app.models import Journey, Revision, Stage, Touchpoint, User
from app.saving import save
from tests.conftest import PASSWORD


def _users(app: Flask) -> tuple[int, int]:
    with app.app_context():
        ada, bob = User(email="carol@example.com"), User(email="dan@example.com")
        for u in (ada, bob):
            u.set_password(PASSWORD)
        db.session.add_all([ada, bob])
        db.session.commit()
        return ada.id, bob.id


class TestTrueHistory:
    def test_two_saves_of_different_touchpoints_both_land_in_each_revision(self, app, journey_id):
        ada, bob = _users(app)
        with app.app_context():
            journey = db.session.get(Journey, journey_id)
            convert.document(journey)  # this request has read everything
            mine = next(t for t in journey.touchpoints if t.key == "welcome")
            mine.title = "Welcome, by Ada"
            with app.app_context():  # someone else saves meanwhile
                other = db.session.get(Journey, journey_id)
                theirs = next(t for t in other.touchpoints if t.key == "module")
                theirs.title = "Module, by Bob"
                save(other, user=db.session.get(User, bob))
            revision = save(journey, user=db.session.get(User, ada))
            titles = {t["id"]: t["title"] for t in revision.document["touchpoints"]}
            assert titles["welcome"] == "Welcome, by Ada"
            assert titles["module"] == "Module, by Bob"  # not undone by a stale read
            assert revision.user_id == ada
            assert "Welcome" in revision.summary and "Module" not in revision.summary
        with app.app_context():
            live = convert.document(db.session.get(Journey, journey_id))
            latest = db.session.scalar(
                db.select(Revision).order_by(Revision.number.desc()).limit(1)
            )
            assert latest.document == live
            previous = db.session.scalar(
                db.select(Revision).where(Revision.number == latest.number - 1)
            )
            assert previous.user_id == bob

    def test_a_stale_save_of_the_same_record_is_a_clash_not_a_500(self, app, journey_id):
        from app.saving import Clash

        with app.app_context():
            journey = db.session.get(Journey, journey_id)
            mine = next(t for t in journey.touchpoints if t.key == "welcome")
            mine.title = "Mine"
            with app.app_context():
                other = db.session.get(Journey, journey_id)
                next(t for t in other.touchpoints if t.key == "welcome").title = "Theirs"
                save(other)
            with pytest.raises(Clash):
                save(journey)
        with app.app_context():
            titles = {t.title for t in db.session.scalars(db.select(Touchpoint))}
            assert "Theirs" in titles and "Mine" not in titles


def test_simultaneous_posts_of_one_stage_get_saved_and_409_never_500(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "DIAGRAM_CACHE_DIR": str(tmp_path / "d"),
        }
    )
    with app.app_context():
        db.create_all()
    from tests.conftest import TINY

    client = app.test_client()
    client.post(
        "/auth/signup", data={"email": "a@x.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    client.post("/auth/signin", data={"email": "a@x.org", "password": PASSWORD})
    import io

    made = client.post(
        "/import",
        data={"file": (io.BytesIO(json.dumps(TINY).encode()), "t.json"), "title": ""},
        content_type="multipart/form-data",
    )
    journey_id = int(made.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    statuses: list[int] = []
    for attempt in range(5):
        with app.app_context():
            stage = db.session.scalar(db.select(Stage).where(Stage.key == "learn"))
            version = stage.version
        barrier = threading.Barrier(2)

        def post(n: int, barrier=barrier, version=version, attempt=attempt) -> None:
            c = app.test_client()
            c.set_cookie("session", client.get_cookie("session").value)
            barrier.wait()
            r = c.post(
                f"/journeys/{journey_id}/stages/learn/edit",
                data={"version": version, "name": f"Learn {attempt}-{n}", "phase": "learn"},
            )
            statuses.append(r.status_code)

        threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert all(s in (302, 409) for s in statuses), statuses
    assert statuses.count(302) == 5  # exactly one of each pair is saved
    with app.app_context():
        live = convert.document(db.session.get(Journey, journey_id))
        latest = db.session.scalar(db.select(Revision).order_by(Revision.number.desc()).limit(1))
        assert latest.document == live
        db.session.remove()
        db.engine.dispose()


_ON_SQLITE = pytest.mark.skipif(
    bool(os.environ.get("CLAIMPATH_TEST_DATABASE_URL")), reason="SQLite's own locking"
)


@_ON_SQLITE
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(db.text("PRAGMA busy_timeout")).scalar() == 10_000


@_ON_SQLITE
def test_a_write_that_never_gets_the_lock_is_a_503_and_nothing_is_kept(
    app, signed_in, journey_id, tmp_path, monkeypatch
):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    with app.app_context():
        db.engine.dispose()  # new connections take the short timeout
        path = db.engine.url.database
        version = db.session.scalar(db.select(Stage.version).where(Stage.key == "learn"))
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = signed_in.post(
            f"/journeys/{journey_id}/stages/learn/edit",
            data={"version": version, "name": "Never saved", "phase": "learn"},
        )
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "nothing was saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Stage.name).where(Stage.key == "learn")) == "Learn"
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 1


class TestBadAddresses:
    @pytest.mark.parametrize(
        "url",
        ["/journeys/99999999999", "/journeys/2147483648/report", "/journeys/1/history/9999999999"],
    )
    def test_ids_past_the_columns_range_are_404(self, signed_in, journey_id, url):
        assert signed_in.get(url).status_code == 404

    def test_nul_in_a_form_field_is_refused_with_where(self, signed_in, journey_id, app):
        response = signed_in.post(
            f"/journeys/{journey_id}/settings", data={"title": "A\x00B", "description": ""}
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "form field &#39;title&#39;" in page and "NUL character at position 2" in page
        with app.app_context():
            assert db.session.get(Journey, journey_id).title == "Tiny journey"

    def test_nul_in_the_sign_in_email_is_not_a_500(self, client):
        response = client.post("/auth/signin", data={"email": "a\x00@x.org", "password": "x"})
        assert response.status_code == 400

    def test_a_lone_surrogate_in_an_imported_file_is_refused_with_where(
        self, signed_in, upload, tiny, app
    ):
        doc = tiny()
        doc["touchpoints"][1]["content"] = "broken \ud800 text"
        raw = json.dumps(doc)  # escapes the surrogate as \\ud800, as a hostile file would
        response = upload(raw, "bad.json")
        assert response.status_code in (200, 400, 422)
        page = response.get_data(as_text=True)
        assert "lone surrogate" in page or "surrogate" in page.lower()
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Journey.id))) == 0


def test_an_unwritable_cache_folder_still_serves_diagrams(tmp_path, signed_in, journey_id, app):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.config["DIAGRAM_CACHE_DIR"] = str(blocker / "diagrams")
    for url in ("report", "report/diagram", "export/diagram.svg", "export/workshop.html"):
        response = signed_in.get(f"/journeys/{journey_id}/{url}")
        assert response.status_code == 200, url
    assert b"<svg" in signed_in.get(f"/journeys/{journey_id}/export/diagram.svg").data


class TestDatabaseDown:
    @pytest.fixture
    def down(self, tmp_path):
        # A PostgreSQL address where nothing listens: every query fails to connect.
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none"
                "?connect_timeout=2",
                "WTF_CSRF_ENABLED": False,
            }
        )
        yield app
        with app.app_context():
            db.engine.dispose()

    def test_a_signed_in_page_gets_the_apps_own_503(self, down):
        client = down.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = "1:abc"
        response = client.get("/")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        page = response.get_data(as_text=True)
        assert "Service unavailable" in page and "Claimpath" in page

    def test_healthz_says_unreachable(self, down):
        response = down.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.json["database"] == "unreachable"


def test_healthz_says_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {
        "status": "ok",
        "database": "reachable",
    }


def test_connections_are_checked_before_use(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
