"""Issue 9: security headers, cookie flags and the reverse proxy."""

from __future__ import annotations

from app import create_app


def _app(tmp_path, **extra):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite'}",
            **extra,
        }
    )


def test_every_answer_carries_the_headers_even_a_404(client):
    for url in ("/auth/signin", "/nowhere", "/static/js/busy.js"):
        response = client.get(url)
        response.close()
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/auth/signin").headers
    secure = client.get("/auth/signin", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_lax_and_secure_outside_debug(client, auth):
    auth.signup()
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.secure and cookie.same_site == "Lax"


def test_debug_or_the_setting_turns_secure_off(tmp_path):
    assert _app(tmp_path, SECURE_COOKIES=False).config["SESSION_COOKIE_SECURE"] is False
    assert _app(tmp_path).config["SESSION_COOKIE_SECURE"] is True


def test_https_behind_a_trusted_proxy_gets_hsts_and_an_untrusted_one_does_not(tmp_path):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    trusted = _app(tmp_path, PROXY_HOPS=1).test_client().get("/auth/signin", headers=forwarded)
    assert "Strict-Transport-Security" in trusted.headers
    direct = _app(tmp_path).test_client().get("/auth/signin", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers
