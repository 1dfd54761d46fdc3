"""Issue 9: hostile input gets no 5xx, changes nothing it should not, and comes out escaped."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.extensions import db
from app.models import Journey, ShareLink, User, utcnow
from app.review.sharing import new_link
from tests.conftest import PASSWORD

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE users; --"


def _title(app, journey_id: int) -> str:
    with app.app_context():
        return db.session.get(Journey, journey_id).title


class TestBodiesAndTokens:
    def test_an_oversized_upload_is_a_413_page_and_nothing_is_made(self, signed_in, upload, app):
        # The same bound as the 5 MB of MAX_CONTENT_LENGTH, at a size the test client keeps
        # in memory.
        app.config["MAX_CONTENT_LENGTH"] = 10_000
        response = upload(b"x" * 20_000, "big.json")
        assert response.status_code == 413
        assert "too large" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Journey.id))) == 0

    @pytest.fixture
    def csrf_app(self, tmp_path):
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'csrf.sqlite'}",
                "DIAGRAM_CACHE_DIR": str(tmp_path / "d"),
            }
        )
        with app.app_context():
            db.create_all()
            user = User(email="ada@example.com")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            login = user.get_id()
        yield app, login
        with app.app_context():
            db.engine.dispose()

    @pytest.mark.parametrize("token", ["", "garbage", "foreign"])
    def test_bad_or_foreign_csrf_tokens_change_nothing(self, csrf_app, token):
        app, login = csrf_app
        if token == "foreign":
            other = app.test_client()  # a token minted for another session
            page = other.get("/auth/signin").get_data(as_text=True)
            token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = login
        response = client.post(
            "/journeys/new", data={"csrf_token": token, "title": "Forged", "template": ""}
        )
        assert response.status_code == 400
        assert "did not come from this site" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Journey.id))) == 0


class TestPayloadsInText:
    @pytest.mark.parametrize("payload", [SCRIPT, SQL])
    def test_are_kept_literally_and_shown_escaped(self, signed_in, journey_id, app, payload):
        response = signed_in.post(
            f"/journeys/{journey_id}/settings", data={"title": payload, "description": payload}
        )
        assert response.status_code == 302
        assert _title(app, journey_id) == payload
        for url in ("/", f"/journeys/{journey_id}", f"/journeys/{journey_id}/report"):
            page = signed_in.get(url).get_data(as_text=True)
            assert "<script>alert" not in page and "onerror=alert" not in page.replace(
                "onerror=alert(1)&gt;", ""
            )
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(User.id))) == 1

    def test_csv_findings_neutralise_formulas(self, make_journey, tiny, signed_in):
        doc = tiny()
        for tp, payload in zip(doc["touchpoints"], ("=1+1", "+SUM(A1)", "@cmd"), strict=True):
            tp["title"] = payload
        doc["credentials"][0]["name"] = "-2+3"
        journey_id = make_journey(doc)
        response = signed_in.get(f"/journeys/{journey_id}/export/findings.csv")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert cells, "the tiny journey has findings"
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
        assert any(c.startswith("'=") or c.startswith("'-") for c in cells)

    def test_path_traversal_in_names_stays_a_name(self, signed_in, upload, app, tiny):
        response = upload(json.dumps(tiny(title="../../etc/passwd")), "../../../etc/passwd.json")
        assert response.status_code == 302
        journey_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        download = signed_in.get(f"/journeys/{journey_id}/export/findings.csv")
        disposition = download.headers["Content-Disposition"]
        assert "/" not in disposition.split("filename", 1)[1] and ".." not in disposition


class TestShareTokens:
    @pytest.mark.parametrize("token", ["forged", "x" * 43, "../../etc", "%00", "a" * 5000])
    def test_forged_tokens_open_nothing(self, client, token):
        assert client.get(f"/s/{token}").status_code in (404, 429)

    def test_an_expired_link_opens_nothing(self, app, journey_id, client):
        with app.app_context():
            journey = db.session.get(Journey, journey_id)
            link, token = new_link(journey, None, "Old")
            db.session.flush()
            link.expires_at = utcnow() - timedelta(days=1)
            db.session.commit()
        guest = app.test_client()
        assert guest.get(f"/s/{token}").status_code == 404
        assert guest.get(f"/journeys/{journey_id}").status_code == 302

    def test_a_far_future_expiry_is_a_form_error_not_a_500(self, signed_in, journey_id, app):
        response = signed_in.post(
            f"/journeys/{journey_id}/sharing/links",
            data={"link-label": "Far", "link-expires": "9999-12-31"},
        )
        assert response.status_code == 200
        assert "9999-12-30 is the last" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(ShareLink.id))) == 0


class TestFormBounds:
    def test_thousands_of_next_touchpoint_rows_are_refused_before_work(
        self, signed_in, journey_id, app
    ):
        rows = [(f"next-{n}-to", "module") for n in range(3000)]
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/welcome/edit",
            data=MultiDict([("title", "X"), *rows]),
        )
        assert response.status_code == 413
        assert "3,001 values" in response.get_data(as_text=True)
        assert _title(app, journey_id) == "Tiny journey"

    def test_thousands_of_fix_keys_are_refused(self, signed_in, journey_id):
        query = "&".join(f"fix=k{n}" for n in range(2500))
        assert signed_in.get(f"/journeys/{journey_id}/whatif?{query}").status_code == 413

    def test_a_very_long_comment_is_refused_beside_the_field(self, signed_in, journey_id):
        response = signed_in.post(
            f"/journeys/{journey_id}/mentions/welcome/comments", data={"body": "x" * 200_000}
        )
        assert response.status_code < 500
        assert "x" * 200_000 not in signed_in.get(f"/journeys/{journey_id}/mentions/").get_data(
            as_text=True
        )


class TestIds:
    @pytest.mark.parametrize("big", [2**31, 2**63, 10**30])
    def test_huge_ids_in_every_journey_route_are_404(self, signed_in, journey_id, app, big):
        for rule in app.url_map.iter_rules():
            if "journey_id" not in rule.arguments or "GET" not in rule.methods:
                continue
            url = rule.rule
            for name in rule.arguments:
                url = url.replace(f"<int:{name}>", str(big)).replace(f"<{name}>", "welcome")
            url = url.replace("<fmt>", "svg")
            assert signed_in.get(url).status_code == 404, url


_NAMES = st.sampled_from(["f.json", "f.yaml", "f.csv", "f.mmd", "f.txt", "f"])
_BODIES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=True) | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner),
        max_leaves=30,
    ).map(lambda v: json.dumps(v).encode()),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=_BODIES, name=_NAMES)
def test_fuzzed_imports_never_get_a_5xx(signed_in, journey_id, body, name):
    for url in ("/import", f"/journeys/{journey_id}/import"):
        response = signed_in.post(
            url,
            data={"file": (io.BytesIO(body), name), "title": ""},
            content_type="multipart/form-data",
        )
        assert response.status_code < 500, (url, name, body[:200])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=st.fixed_dictionaries({"title": st.text(max_size=300)}))
def test_fuzzed_journey_titles_in_a_valid_file_never_get_a_5xx(signed_in, tiny, doc):
    body = json.dumps(tiny(**doc)).encode()
    response = signed_in.post(
        "/import",
        data={"file": (io.BytesIO(body), "t.json"), "title": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code < 500
