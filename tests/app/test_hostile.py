"""Issue 9: hostile input gets no 5xx, changes nothing it should not, and comes out escaped."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.extensions import db
from app.models import Invitation, Journey, ShareLink, User, utcnow
from app.review.sharing import new_link
from tests.conftest import PASSWORD, AuthActions

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


# Every text field of every form (issue 9): the forms are read from the pages as a
# browser sees them, and each text field in turn is sent each payload.

#: What an attacker types. Lone surrogates cannot travel in UTF-8: they go as the
#: bytes a careless client would send (surrogatepass), which the server must survive.
PAYLOADS = {
    "script": SCRIPT,
    "sql": SQL,
    "nul": "before\x00after",
    "surrogate": "half \ud800 pair",
    "huge": "x" * 100_000,
    "traversal": "../../../etc/passwd",
    "formula": '=HYPERLINK("http://evil.example/","click")',
}
_TEXT_TYPES = {"text", "email", "search", "url", "tel", "password", "number", "date", ""}


class _Forms(HTMLParser):
    """Every ``method=post`` form of a page: its action and what a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action") or None, "values": [], "text": []}
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "") not in {"submit", "button", "file"}:
            kind = a.get("type", "")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            form["values"].append((name, a.get("value", "on" if "checked" in a else "")))
            if kind in _TEXT_TYPES and "readonly" not in a:
                form["text"].append(name)
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                form["values"].append((self._select, a.get("value", "")))
                self._first_option = ""  # chosen: the first one is not needed
        elif tag == "textarea" and name:
            self._textarea = name
            form["values"].append((name, ""))
            form["text"].append(name)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select:
            if self._first_option:
                self._form["values"].append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def _forms(page: str, url: str) -> list[dict[str, Any]]:
    """Return the post forms of ``page`` (found at ``url``) that have a text field, one per kind."""
    parser = _Forms()
    parser.feed(page)
    seen, found = set(), []
    for form in parser.forms:
        form["action"] = html.unescape(form["action"] or url)
        kind = (re.sub(r"\d+", "N", form["action"]), tuple(form["text"]))
        if form["text"] and kind not in seen:
            seen.add(kind)
            found.append(form)
    return found


def _snapshot(app) -> dict[str, list[str]]:
    """Return every row of every table, to tell whether a request changed anything."""
    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
            for table in db.metadata.sorted_tables
        }


def _post(client, action: str, values: list[tuple[str, str]]):
    body = urlencode(values, encoding="utf-8", errors="surrogatepass")
    return client.post(action, data=body, content_type="application/x-www-form-urlencoded")


def _escaped(text: str) -> bool:
    return '<script>alert("x")' not in text and "<img src=x onerror" not in text


#: Pages of a journey with forms that have text fields, as its owner sees them. (The
#: others have none: their forms are buttons, choices or file uploads, fuzzed below.)
JOURNEY_PAGES = [
    "",
    "/settings",
    "/touchpoints/new",
    "/touchpoints/welcome/edit",
    "/stages/new",
    "/stages/learn/edit",
    "/credentials/new",
    "/credentials/data-lit/edit",
    "/credentials/import",
    "/sharing",
    "/mentions/",
    "/comments/",
    "/report",
    "/import",
]
OTHER_PAGES = ["/journeys/new", "/import", "/auth/account", "/workspaces/new"]


def _fuzz_forms(app, client, url: str) -> int:
    """Send every payload to every text field of every form on ``url``; return how many posts."""
    page = client.get(url)
    assert page.status_code == 200, url
    forms = _forms(page.get_data(as_text=True), url)
    sent = 0
    for form in forms:
        for field in form["text"]:
            for what, payload in PAYLOADS.items():
                values = [(n, payload if n == field else v) for n, v in form["values"]]
                before = _snapshot(app)
                response = _post(client, form["action"], values)
                sent += 1
                where = (url, form["action"], field, what)
                assert response.status_code < 500, where
                assert _escaped(response.get_data(as_text=True)), where
                if response.status_code not in (302, 303):
                    assert _snapshot(app) == before, where  # refused: nothing changed
                again = client.get(url)
                assert again.status_code < 500, where
                assert _escaped(again.get_data(as_text=True)), where
    return sent


@pytest.mark.parametrize("path", JOURNEY_PAGES)
def test_payloads_in_every_text_field_of_a_journeys_forms(app, signed_in, journey_id, path):
    assert _fuzz_forms(app, signed_in, f"/journeys/{journey_id}{path}") > 0


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_payloads_in_every_text_field_of_the_other_forms(app, signed_in, journey_id, path):
    assert _fuzz_forms(app, signed_in, path) > 0


@pytest.mark.parametrize("path", ["/auth/signin", "/auth/signup"])
def test_payloads_in_the_forms_of_someone_signed_out(app, client, path):
    assert _fuzz_forms(app, client, path) > 0


# Other people's ids and huge ids in every URL, for every method.


def _fill(rule, journey_id: int, big: int | None = None) -> str:
    url = rule.rule
    for name in rule.arguments:
        value = "welcome" if name == "key" else "svg" if name == "fmt" else "tok"
        if f"<int:{name}>" in url:
            value = str(big if big is not None else journey_id if name == "journey_id" else 1)
        url = url.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
    return url


@pytest.mark.parametrize("big", [None, 2**31, 10**30])
def test_a_stranger_or_a_huge_id_on_every_route_changes_nothing(app, journey_id, big):
    """Someone signed in with no role on the journey, or any huge id: 404 or refused, never 5xx."""
    stranger = app.test_client()
    assert AuthActions(stranger).signup("eve@example.com").status_code == 302
    before = _snapshot(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not any(a.endswith("_id") for a in rule.arguments):
            continue
        url = _fill(rule, journey_id, big)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = stranger.open(url, method=method, data={"title": SCRIPT, "body": SQL})
            assert response.status_code in (302, 400, 403, 404, 405, 429), (method, url)
            if "journey_id" in rule.arguments or big is not None:
                assert response.status_code in (404, 405, 429), (method, url)
    after = _snapshot(app)
    assert after == before


@pytest.mark.parametrize("token", ["forged", "x" * 43, "../../etc/passwd", "a" * 5000, "%00"])
def test_forged_invitation_tokens_open_nothing(app, journey_id, signed_in, token):
    before = _snapshot(app)
    for client in (app.test_client(), signed_in):
        assert client.get(f"/invite/{token}").status_code in (404, 429)
        assert client.post(f"/invite/{token}").status_code in (404, 429)
    assert _snapshot(app) == before


def test_an_expired_invitation_opens_nothing_and_joins_no_one(app, journey_id, signed_in):
    from tests.app.helpers import invite

    path = invite(signed_in, journey_id, "late@example.com", "editor")
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    late = app.test_client()
    AuthActions(late).signup("late@example.com")
    before = _snapshot(app)
    assert late.get(path).status_code == 404
    assert late.post(path).status_code == 404
    assert _snapshot(app) == before


# Hypothesis fuzzing of the imports that take files beside the journey import above:
# credentials (a badge file, pasted text, or a forged preview sent back), course
# exports, and outcome files. Mermaid goes through the journey import (.mmd).

_SMALL = st.one_of(
    st.binary(max_size=1500),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"PK\x03\x04" + b"\x00" * 40, b"<?xml version='1.0'?><x>&a;</x>", b"{}"]),
)
_FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FUZZ
@given(body=_SMALL, name=st.sampled_from(["b.json", "b.png", "b.svg", "b.txt", "b"]))
def test_fuzzed_credential_imports_never_get_a_5xx(signed_in, journey_id, body, name):
    url = f"/journeys/{journey_id}/credentials/import"
    answers = [
        signed_in.post(
            url, data={"badge_file": (io.BytesIO(body), name)}, content_type="multipart/form-data"
        ),
        signed_in.post(url, data={"badge_text": body.decode("utf-8", "replace")}),
        signed_in.post(
            url, data={"step": "save", "badge": body.decode("latin-1"), "badge_name": name}
        ),
    ]
    assert [r.status_code for r in answers if r.status_code >= 500] == []


@_FUZZ
@given(body=_SMALL, badge=_SMALL)
def test_fuzzed_course_imports_never_get_a_5xx(signed_in, body, badge):
    response = signed_in.post(
        "/import/course",
        data={
            "course_file": (io.BytesIO(body), "course.imscc"),
            "badge_file": (io.BytesIO(badge), "badge.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code < 500


@_FUZZ
@given(body=_SMALL, name=st.sampled_from(["o.csv", "o.json", "o.xlsx", "o"]))
def test_fuzzed_outcome_imports_never_get_a_5xx(signed_in, journey_id, body, name):
    response = signed_in.post(
        f"/journeys/{journey_id}/outcomes/",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["/people"])  # its other pages have no text fields
def test_payloads_in_every_text_field_of_a_workspaces_forms(app, signed_in, journey_id, path):
    made = signed_in.post("/workspaces/new", data={"name": "Faculty of Arts"})
    assert made.status_code == 302
    assert _fuzz_forms(app, signed_in, made.headers["Location"].rstrip("/") + path) > 0
