"""People have names (issue 15): sign-up asks for one, pages show it, addresses stay private."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import User
from tests.app.helpers import accept, invite, join
from tests.app.test_sharing import make_link
from tests.conftest import PASSWORD, AuthActions

ADDRESS = re.compile(r"[\w.+-]+@example\.com")


def signup(client, email: str, name: str):
    return client.post(
        "/auth/signup",
        data={"display_name": name, "email": email, "password": PASSWORD, "confirm": PASSWORD},
    )


def comment(client, journey_id: int, body: str, key: str = "welcome"):
    response = client.post(f"/journeys/{journey_id}/mentions/{key}/comments", data={"body": body})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_sign_up_asks_for_a_display_name_and_keeps_it(app, client):
    page = client.get("/auth/signup").get_data(as_text=True)
    assert '<label for="display_name">Display name</label>' in page
    assert signup(client, "grace@example.com", "  Grace Hopper ").status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "grace@example.com"))
        assert user.display_name == "Grace Hopper"


def test_a_too_long_name_is_refused_beside_the_field(app, client):
    response = signup(client, "grace@example.com", "G" * 81)
    assert response.status_code == 200
    assert 'id="display_name-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_no_name_given_is_the_part_of_the_email_before_the_at(app, client, auth):
    auth.signup("ada.byron@example.com")
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.name == "ada.byron"


def test_history_and_threads_show_names_and_owners_see_addresses_only_on_sharing(
    app, client, make_journey
):
    # The signed-in designer (ada@example.com) owns the journey; Grace reviews it.
    journey_id = make_journey()
    grace = app.test_client()
    signup(grace, "grace@example.com", "Grace Hopper")
    AuthActions(grace).signin("grace@example.com")
    accept(grace, invite(client, journey_id, "grace@example.com", "reviewer"))
    comment(grace, journey_id, "Say what the badge proves.")
    mentions = client.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
    assert "<strong>Grace Hopper</strong>" in mentions
    assert "grace@example.com" not in mentions
    # The reviewer sees the owner by name in History; her own address only in her own nav.
    history = grace.get(f"/journeys/{journey_id}/history/").get_data(as_text=True)
    assert "<td>ada</td>" in history
    assert ADDRESS.findall(history) == ["grace@example.com"]
    sharing = client.get(f"/journeys/{journey_id}/sharing").get_data(as_text=True)
    row = sharing.split("Grace Hopper", 1)[1].split("</tr>", 1)[0]
    assert "<td>grace@example.com</td>" in row
    # Her notification names the owner, not the owner's address.
    home = grace.get("/").get_data(as_text=True)
    assert "ada asked you to review" in home and "ada@example.com" not in home


def test_a_share_link_guest_never_sees_an_email_address(app, signed_in, journey_id):
    reviewer = join(app, signed_in, journey_id, "reviewer", "grace@example.com")
    comment(reviewer, journey_id, "Looks right.")
    signed_in.post(f"/journeys/{journey_id}/settings", data={"title": "Renamed"})
    guest = app.test_client()
    guest.get(make_link(signed_in, journey_id, "Workshop"))
    for page in ("", "/report", "/mentions/", "/history/", "/history/1", "/credentials/"):
        response = guest.get(f"/journeys/{journey_id}{page}")
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert ADDRESS.findall(html) == [], page
    assert "grace" in guest.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)


def test_the_migration_names_existing_accounts_after_their_email(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"}
    )
    with app.app_context():
        upgrade(revision="30a8996e3d32")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (email, password_hash, created_at) "
                    "VALUES ('mary.somerville@example.com', '-', '2026-01-01')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            name = connection.execute(sa.text("SELECT display_name FROM users")).scalar_one()
        db.engine.dispose()
    assert name == "mary.somerville"
