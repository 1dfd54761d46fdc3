"""Every screen passes axe-core with no violations, signed out and signed in."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PAGES = [
    "/",
    "/trash",
    "/journeys/new",
    "/import",
    "{j}",
    "{j}?lanes=owner",
    "{j}/settings",
    "{j}/touchpoints/new",
    "{j}/credentials/",
    "{j}/credentials/new",
    "{j}/stages/new",
    "{j}/history/",
    "{j}/history/1",
    "{j}/import",
    "/journeys/999999",
]


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("url", ["/auth/signin", "/auth/signup"])
def test_signed_out_pages_pass_axe(page, live_server, url):
    page.goto(live_server + url)
    assert _violations(page) == []


def test_signed_in_pages_pass_axe(signed_in_page, live_server):
    page = signed_in_page
    page.get_by_role("link", name="New journey", exact=True).click()
    page.get_by_label("Start from").select_option(index=1)
    page.get_by_label("Title", exact=True).fill("Axe tour")
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name="Axe tour")).to_be_visible()
    journey = page.url.removeprefix(live_server)
    card = page.locator("article.card a").first
    touchpoint = card.get_attribute("href")
    found = {}
    for url in [*PAGES, touchpoint]:
        page.goto(live_server + url.format(j=journey))
        found[url] = _violations(page)
    # A form sent back with its messages beside the fields.
    page.goto(live_server + journey + "/stages/new")
    page.get_by_role("button", name="Save", exact=True).click()
    found["form with errors"] = _violations(page)
    assert {url: v for url, v in found.items() if v} == {}
