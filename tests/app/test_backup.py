"""Issue 9: export-all and import-all carry every record, SQLite to SQLite or to PostgreSQL."""

from __future__ import annotations

import json

import pytest

from app import create_app
from app.extensions import db
from app.models import Comment, Journey, Revision, User


@pytest.fixture
def source(tmp_path, signed_in, journey_id, app, runner):
    """Return a backup folder of a database with accounts, a journey, history and a thread."""
    signed_in.post(
        f"/journeys/{journey_id}/settings", data={"title": "Renamed é", "description": "x"}
    )
    with app.app_context():
        user = db.session.scalar(db.select(User))
        db.session.add(
            Comment(journey_id=journey_id, touchpoint_key="welcome", user=user, body="Hi")
        )
        db.session.commit()
    folder = tmp_path / "backup"
    result = runner.invoke(args=["export-all", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _target(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'target.sqlite'}",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def test_every_table_is_written(source):
    manifest = json.loads((source / "manifest.json").read_text())
    assert manifest["format"] == "claimpath-backup/1"
    assert set(manifest["tables"]) == {t.name for t in db.metadata.sorted_tables}
    assert manifest["tables"]["revisions"] >= 2 and manifest["tables"]["comments"] == 1


def test_round_trip_gives_back_every_record(source, tmp_path, app):
    target = _target(tmp_path)
    result = target.test_cli_runner().invoke(args=["import-all", str(source)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again"
    assert target.test_cli_runner().invoke(args=["export-all", str(again)]).exit_code == 0
    for path in source.glob("*-*.json"):
        assert json.loads(path.read_text()) == json.loads((again / path.name).read_text()), path
    with target.app_context():
        journey = db.session.scalar(db.select(Journey))
        assert journey.title == "Renamed é"
        assert [r.number for r in journey.revisions] == [1, 2]
        # The restored account signs in with its password; new rows get new ids.
        db.session.add(User(email="new@example.com", password_hash="-"))
        db.session.commit()
        db.engine.dispose()
    client = target.test_client()
    signin = client.post(
        "/auth/signin", data={"email": "ada@example.com", "password": "correct horse battery"}
    )
    assert signin.status_code == 302


def test_a_database_with_records_is_refused_and_kept(source, tmp_path, runner, app):
    result = runner.invoke(args=["import-all", str(source)])
    assert result.exit_code == 1
    assert "not empty" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 2


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path, runner):
    (tmp_path / "x").mkdir()
    result = runner.invoke(args=["import-all", str(tmp_path / "x")])
    assert result.exit_code == 1 and "not a Claimpath backup" in result.output


def test_sqlite_to_the_test_database_server(tmp_path, app, signed_in, journey_id, runner):
    """With CLAIMPATH_TEST_DATABASE_URL (.ci/with-postgres), ``app`` is on PostgreSQL."""
    sqlite_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
        }
    )
    folder = tmp_path / "b"
    runner.invoke(args=["export-all", str(folder)])  # from the test database
    with sqlite_app.app_context():
        db.create_all()
    sqlite_runner = sqlite_app.test_cli_runner()
    assert sqlite_runner.invoke(args=["import-all", str(folder)]).exit_code == 0
    moved = tmp_path / "moved"
    assert sqlite_runner.invoke(args=["export-all", str(moved)]).exit_code == 0
    # ...and back into a fresh test database (PostgreSQL under .ci/with-postgres).
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
    result = runner.invoke(args=["import-all", str(moved)])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    assert runner.invoke(args=["export-all", str(back)]).exit_code == 0
    for path in moved.glob("*-*.json"):
        assert json.loads(path.read_text()) == json.loads((back / path.name).read_text()), path
    with app.app_context():
        assert db.session.scalar(db.select(Journey.title)) == "Tiny journey"
        db.session.add(User(email="later@example.com", password_hash="-"))
        db.session.commit()  # the id sequence continues after the restored ids
        db.session.remove()
    with sqlite_app.app_context():
        db.engine.dispose()
