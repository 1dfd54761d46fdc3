"""Issue 10 item 6 without JavaScript: every refused form puts the GOV.UK error summary first.

The summary is one ``role="alert"`` box at the top of the page, each problem a
link to the field it is about (errors.js focuses the box and the links move
focus); the messages beside the fields stay.
"""

from __future__ import annotations

import io
import re

SUMMARY = re.compile(
    r'<div class="problems error-summary" role="alert" tabindex="-1" data-error-summary'
    r'.*?<h2 id="error-summary-title"[^>]*>(?P<title>[^<]*)</h2>(?P<items>.*?)</div>',
    re.S,
)


def summary(page: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the summary's title and its (field id, words) links; fail when there is none."""
    found = SUMMARY.findall(page)
    assert len(found) == 1, page
    title, items = found[0]
    links = re.findall(r'<a href="#([^"]+)" data-field="\1">([^<]*)</a>', items)
    return title, links


def test_a_failed_sign_in_links_to_the_password(client, auth):
    auth.signup()
    auth.signout()
    page = auth.signin(password="not the password at all").get_data(as_text=True)
    title, links = summary(page)
    assert title == "Not signed in: there is a problem"
    assert links == [("password", "Password: Email or password is wrong.")]
    assert page.index("data-error-summary") < page.index('id="email"')


def test_a_failed_sign_up_lists_every_field(client):
    page = client.post(
        "/auth/signup", data={"email": "not an email", "password": "x", "confirm": "y"}
    ).get_data(as_text=True)
    title, links = summary(page)
    assert title == "Not signed up: there is a problem"
    assert {"email", "password"} <= {field for field, _ in links}


def test_sharing_summarises_a_refused_invitation_and_a_refused_role(signed_in, journey_id):
    page = signed_in.post(
        f"/journeys/{journey_id}/sharing/people",
        data={"person-email": "no-at-sign", "person-role": "viewer"},
    ).get_data(as_text=True)
    _, links = summary(page)
    assert links and links[0][0] == "person-email"
    assert page.index("data-error-summary") < page.index('id="person-email"')
    me = re.search(r'id="role-(\d+)"', page).group(1)
    page = signed_in.post(
        f"/journeys/{journey_id}/sharing/people/{me}", data={"role": "viewer"}
    ).get_data(as_text=True)
    _, links = summary(page)
    assert links == [(f"role-{me}", links[0][1])]
    assert links[0][1].startswith("Role of ada:")


def test_a_refused_import_lists_each_problem_of_the_file_at_the_top(upload):
    page = upload('{"title": 3}', "broken.json").get_data(as_text=True)
    title, links = summary(page)
    assert title.startswith("Nothing was imported: ") and "problems in the file." in title
    assert links and all(field == "file" for field, _ in links)
    assert any("title: expected a string" in words for _, words in links)
    assert page.index("data-error-summary") < page.index('id="file"')


def test_an_import_without_a_file_links_to_the_file_box(signed_in):
    page = signed_in.post("/import", data={}, content_type="multipart/form-data").get_data(
        as_text=True
    )
    title, links = summary(page)
    assert title == "Nothing was imported: there is a problem"
    assert [field for field, _ in links] == ["file"]


def test_a_refused_outcomes_file_links_each_problem_to_the_file_box(signed_in, journey_id):
    bad = b"credential,issued,claimed\nData Literacy Badge,10,20\nData Literacy Badge,x,1\n"
    page = signed_in.post(
        f"/journeys/{journey_id}/outcomes/",
        data={"file": (io.BytesIO(bad), "bad.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    title, links = summary(page)
    assert title == "Nothing was imported: 2 problems in the file."
    assert [field for field, _ in links] == ["file", "file"]
    assert links[0][1].startswith("line 2, column claimed")


def test_an_empty_comment_is_summarised_at_the_top(signed_in, journey_id):
    page = signed_in.post(
        f"/journeys/{journey_id}/comments/",
        data={"place": "stage", "key": "learn", "body": "  "},
    ).get_data(as_text=True)
    title, links = summary(page)
    assert title == "Not posted: there is a problem"
    assert links == [("comment-stage-learn", "Write your comment first.")]
    assert page.index("data-error-summary") < page.index('id="comment-stage-learn"')


def test_an_empty_review_comment_is_summarised_at_the_top(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/mentions/welcome/comments", data={"body": ""}
    )
    title, links = summary(response.get_data(as_text=True))
    assert [words for _, words in links] == ["Write your comment first."]
