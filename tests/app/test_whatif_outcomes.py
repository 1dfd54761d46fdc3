"""The what-if preview prices a fix in learners once the journey has outcomes (issue 14)."""

from __future__ import annotations

import io

import pytest

FIX = "say:module:data-lit:claim"


@pytest.fixture
def half_told(make_journey, tiny) -> int:
    """Return a journey where only the welcome email (reach 0.5) says how to claim."""
    document = tiny()
    document["touchpoints"][0]["messages"]["data-lit"] = ["earned", "claim"]
    document["touchpoints"][0]["reach"] = 0.5
    document["touchpoints"][2]["messages"] = {}
    return make_journey(document)


def _outcomes(client, journey_id: int, issued: int, claimed: int, name: str) -> None:
    raw = f"credential,issued,claimed,shared\nData Literacy Badge,{issued},{claimed},0\n".encode()
    response = client.post(
        f"/journeys/{journey_id}/outcomes/",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_says_how_many_more_learners_claim_with_the_fitted_reach(signed_in, half_told):
    # The model says 50% know how to claim; learners claimed 30%, so the factor is 0.6
    # (welcome reach 0.3). Telling it at the module page too (reach 1 x 0.6) informs
    # 1 - 0.7 x 0.4 = 72%: 42 points more of the latest import's 100 issued = 42 learners.
    _outcomes(signed_in, half_told, 200, 60, "spring.csv")
    _outcomes(signed_in, half_told, 100, 30, "autumn.csv")
    page = signed_in.get(f"/journeys/{half_told}/whatif?fix={FIX}").get_data(as_text=True)
    assert (
        "About 42 more learners claim the Data Literacy Badge, of the 100 issued in "
        "autumn.csv, with the reach fitted to observed outcomes." in page
    )


def test_a_fix_that_changes_no_claim_says_as_many(signed_in, half_told):
    _outcomes(signed_in, half_told, 100, 30, "autumn.csv")
    fix = "say:issued:data-lit:why"
    page = signed_in.get(f"/journeys/{half_told}/whatif?fix={fix}").get_data(as_text=True)
    assert "About as many learners claim the Data Literacy Badge, of the 100 issued" in page


def test_without_outcomes_it_says_nothing_about_learners(signed_in, half_told):
    page = signed_in.get(f"/journeys/{half_told}/whatif?fix={FIX}").get_data(as_text=True)
    assert "Score " in page and "claim-gains" not in page
    assert "About 42" not in page and "fitted to observed outcomes" not in page
