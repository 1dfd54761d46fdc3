"""Issue 9: the main screens run under the Content-Security-Policy with nothing blocked."""

from __future__ import annotations

from playwright.sync_api import expect

SCREENS = [
    "/",
    "/import",
    "{j}",
    "{j}/report",
    "{j}/mentions/",
    "{j}/export/workshop.html",
    "{j}/history/",
    "{j}/export/",
    "{j}/settings",
    "{j}/touchpoints/new",
]


def _watch(page) -> list[str]:
    """Return a list that fills with every CSP violation and console error the page reports."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def _violations(page) -> list[str]:
    # Collected by the page itself: securitypolicyviolation fires for each blocked thing.
    return page.evaluate("window.__csp || []")


def test_main_screens_have_no_csp_violations(signed_in_page, live_server):
    page = signed_in_page
    seen = _watch(page)
    page.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.get_by_role("link", name="New journey", exact=True).click()
    page.get_by_label("Start from").select_option(index=1)
    page.get_by_label("Title", exact=True).fill("CSP tour")
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name="CSP tour")).to_be_visible()
    journey = page.url.removeprefix(live_server)
    found = {}
    for url in SCREENS:
        response = page.goto(live_server + url.format(j=journey))
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        found[url] = _violations(page)
    # The report's diagram is panned by the vendored script: it must have run.
    page.goto(live_server + journey + "/report")
    page.wait_for_load_state("networkidle")
    assert {url: v for url, v in found.items() if v} == {}
    assert [m for m in seen if "Content Security Policy" in m or "Refused" in m] == []


def test_the_session_cookie_is_httponly_and_secure_and_works_on_loopback(
    signed_in_page, live_server
):
    cookies = {c["name"]: c for c in signed_in_page.context.cookies()}
    session = cookies["session"]
    assert session["httpOnly"] is True
    assert session["secure"] is True
    assert session["sameSite"] == "Lax"
    # Signed in over plain HTTP on 127.0.0.1: the Secure cookie was kept and sent back.
    expect(signed_in_page.get_by_role("heading", name="Journeys", exact=True)).to_be_visible()
