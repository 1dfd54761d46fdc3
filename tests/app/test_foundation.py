"""Migrations, the demo command, error pages and the one converter between rows and engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import convert, create_app
from app.extensions import db
from app.models import Journey, Revision, User
from journeys import fileformat

EXAMPLES = sorted((Path(__file__).parents[2] / "journeys" / "examples").glob("*.json"))


def test_the_migrations_build_the_schema_the_models_describe(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert differences == []


def test_seed_demo_loads_every_example_once_and_prints_the_login(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Sign in as demo@claimpath.example with the password claimpath-demo" in first.output
    assert f"{len(EXAMPLES)} added" in first.output
    again = runner.invoke(args=["seed-demo"])
    assert "0 added" in again.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Journey.id))) == len(EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_through_the_rows(app, path):
    source = fileformat.load(path)
    with app.app_context():
        journey = Journey(title="", description="")
        db.session.add(journey)
        convert.apply(journey, source)
        assert convert.check(journey) == source
        assert convert.document(journey) == fileformat.to_data(source)
        db.session.rollback()


def test_applying_another_journey_updates_rows_in_place(app, tiny):
    with app.app_context():
        journey = Journey(title="", description="")
        db.session.add(journey)
        convert.apply(journey, fileformat.from_data(tiny()))
        db.session.commit()
        welcome = next(t for t in journey.touchpoints if t.key == "welcome")
        module = next(t for t in journey.touchpoints if t.key == "module")
        version, module_version = welcome.version, module.version
        changed = tiny()
        changed["touchpoints"][0]["title"] = "Hello"
        convert.apply(journey, fileformat.from_data(changed))
        db.session.commit()
        assert welcome.version != version  # an open form on it is now stale
        assert module.version == module_version  # an unchanged record keeps its version
        db.session.remove()


def test_the_404_page_is_in_the_apps_style(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Claimpath" in response.get_data(as_text=True)
    assert "Back to your journeys" in response.get_data(as_text=True)


def test_the_500_handler_rolls_back_and_shows_the_styled_page(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.sqlite'}"}
    )

    @app.route("/boom")
    def boom():
        db.session.add(User(email="half@example.com", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    with app.app_context():
        db.create_all()
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Nothing was half-saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
        db.engine.dispose()


def test_a_form_without_its_csrf_token_is_refused(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.sqlite'}"}
    )
    with app.app_context():
        db.create_all()
    response = app.test_client().post(
        "/auth/signup", data={"email": "a@example.com", "password": "long enough", "confirm": "x"}
    )
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_a_revision_holds_the_whole_journey(signed_in, journey_id, app, tiny):
    with app.app_context():
        revision = db.session.scalar(db.select(Revision))
        assert fileformat.from_data(revision.document) == fileformat.from_data(tiny())
