"""Importing journey files and CSVs, all or nothing, and exporting what the CLI reads."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from app.extensions import db
from app.models import Journey, Revision
from journeys import fileformat

CSV = (
    "stage,phase,title,channel,owner,content,messages,next,issues,entry\n"
    "Enrol,discover,Welcome email,email,issuer,You will earn the Data Literacy Badge.,"
    "Data Literacy Badge: earned,Module page,,yes\n"
    "Learn,learn,Module page,lms,faculty,What it shows.,Data Literacy Badge: represents,"
    "Badge issued email (80%),,\n"
    "Award,issue,Badge issued email,email,issuer,Claim it.,Data Literacy Badge: claim,,"
    "Data Literacy Badge,\n"
)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(model.id)))


class TestImportingAJourneyFile:
    def test_json_becomes_a_new_journey(self, upload, tiny, app):
        response = upload(json.dumps(tiny()), "tiny.json")
        assert response.status_code == 302
        assert count(app, Journey) == 1

    def test_yaml_becomes_a_new_journey(self, upload, tiny, signed_in):
        response = upload(yaml.safe_dump(tiny()), "tiny.yaml", title="From YAML")
        assert response.status_code == 302
        assert "From YAML" in signed_in.get("/").get_data(as_text=True)

    def test_every_problem_is_listed_with_its_location_and_nothing_is_kept(self, upload, tiny, app):
        document = tiny()
        document["touchpoints"][0]["stage"] = "enroll"
        document["transitions"][1]["share"] = 3
        response = upload(json.dumps(document), "broken.json")
        page = response.get_data(as_text=True)
        assert "Nothing was imported: 2 problems in the file." in page
        assert "touchpoints[0].stage: unknown stage &#39;enroll&#39;" in page
        assert "transitions[1].share: 3 is out of range" in page
        assert "no entry" not in page
        assert count(app, Journey) == 0

    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            ("{not json", "x.json", "line 1, column 2: not valid JSON"),
            ("a: [", "x.yaml", "not valid YAML"),
            ("", "x.json", "the file is empty"),
            (b"\xff\xfe{}", "x.json", "not UTF-8"),
            ("{}", "x.txt", "Choose a .json, .yaml, .yml, .csv or .mmd file."),
        ],
    )
    def test_unreadable_files_are_refused_with_a_reason(self, upload, content, name, message):
        response = upload(content, name)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)

    def test_no_file_is_refused_beside_the_field(self, signed_in):
        response = signed_in.post("/import", data={"title": ""})
        assert "Choose a file to import." in response.get_data(as_text=True)

    def test_a_file_over_the_size_limit_gets_a_clear_page(self, upload, app):
        # A small limit keeps the test client's upload in memory.
        app.config["MAX_CONTENT_LENGTH"] = 2000
        response = upload(b"x" * 4000, "huge.json")
        assert response.status_code == 413
        assert "limited to 5 MB" in response.get_data(as_text=True)

    def test_into_a_journey_replaces_it_as_a_new_revision(self, upload, journey_id, tiny, app):
        document = tiny(title="Replaced")
        response = upload(json.dumps(document), "new.json", url=f"/journeys/{journey_id}/import")
        assert response.status_code == 302
        assert count(app, Journey) == 1
        assert count(app, Revision) == 2

    def test_into_a_journey_the_engine_refuses_says_why_and_keeps_the_journey(
        self, upload, journey_id, tiny, app, signed_in, monkeypatch
    ):
        from types import SimpleNamespace

        from app import saving
        from journeys.errors import JourneyInvalid, Problem

        # The file loads, but the rows it becomes are refused when saved.
        def refuse(document):
            raise JourneyInvalid([Problem("title", "is taken by a journey the rows refuse")])

        monkeypatch.setattr(saving, "fileformat", SimpleNamespace(from_data=refuse))
        url = f"/journeys/{journey_id}/import"
        response = upload(json.dumps(tiny(title="Replaced")), "new.json", url=url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Nothing was imported: 1 problem" in page
        assert "is taken by a journey the rows refuse" in page
        assert "<title>Import · Tiny journey" in page  # the journey as saved, not the file
        assert count(app, Revision) == 1


class TestImportingACsv:
    def test_creates_stages_credentials_touchpoints_and_transitions(self, upload, signed_in):
        response = upload(CSV, "plan.csv", title="From a spreadsheet")
        assert response.status_code == 302, response.get_data(as_text=True)
        exported = json.loads(signed_in.get(response.headers["Location"] + "/export.json").data)
        assert [s["name"] for s in exported["stages"]] == ["Enrol", "Learn", "Award"]
        assert exported["credentials"][0]["name"] == "Data Literacy Badge"
        assert exported["transitions"] == [
            {"from": "welcome-email", "to": "module-page"},
            {"from": "module-page", "to": "badge-issued-email", "share": 0.8},
        ]
        assert exported["touchpoints"][2]["issues"] == ["data-literacy-badge"]

    @pytest.mark.parametrize(
        ("row", "message"),
        [
            (
                "Learn,,Quiz,lms,robot,,,,,",
                "row 5, column owner: &#39;robot&#39; is not one of",
            ),
            (
                "Learn,,Quiz,lms,,,Data Literacy Badge: bragging,,,",
                "row 5, column messages: &#39;bragging&#39; is not a message kind",
            ),
            ("Learn,,Quiz,lms,,,earned represents,,,", "row 5, column messages: &#39;earned"),
            ("Learn,,Quiz,lms,,,,Nowhere,,", "row 5, column next: no row has the title or id"),
            ("Later,,Quiz,lms,,,,,,", "row 5, column phase: the new stage &#39;Later&#39; needs"),
            ("Learn,,Quiz,lms,,,,,,maybe", "row 5, column entry: &#39;maybe&#39;: write yes or no"),
            ("Learn,,,lms,,,,,,", "row 5, column title: must not be blank"),
        ],
    )
    def test_problems_are_located_by_row_and_column(self, upload, app, row, message):
        response = upload(CSV + row + "\n", "plan.csv", title="Plan")
        assert message in response.get_data(as_text=True)
        assert count(app, Journey) == 0

    def test_shares_over_one_are_located_at_the_row(self, upload):
        csv = CSV.replace("Module page,,yes", "Module page (70%); Badge issued email (60%),,yes")
        response = upload(csv, "plan.csv", title="Plan")
        assert "row 2, column next: shares out of &#39;welcome-email&#39; add up to 1.3" in (
            response.get_data(as_text=True)
        )

    def test_unknown_and_missing_columns_are_refused(self, upload):
        response = upload("title,colour\nWelcome,blue\n", "plan.csv", title="Plan")
        page = response.get_data(as_text=True)
        assert "row 1, column colour: unknown column" in page
        assert "row 1, column stage: this column is required" in page

    def test_into_a_journey_keeps_its_credentials_and_stages(self, upload, journey_id, signed_in):
        csv = (
            "stage,title,messages,next\n"
            "Enrol,Hello,data badge: earned,Bye\n"
            "Award,Bye,Data Literacy Badge: claim,\n"
        )
        response = upload(csv, "plan.csv", url=f"/journeys/{journey_id}/import")
        assert response.status_code == 302, response.get_data(as_text=True)
        exported = json.loads(signed_in.get(f"/journeys/{journey_id}/export.json").data)
        assert [c["id"] for c in exported["credentials"]] == ["data-lit"]
        assert [t["title"] for t in exported["touchpoints"]] == ["Hello", "Bye"]
        assert exported["touchpoints"][0]["messages"] == {"data-lit": ["earned"]}


class TestExporting:
    def test_gives_the_json_the_command_line_reads_unchanged(self, signed_in, journey_id, tiny):
        response = signed_in.get(f"/journeys/{journey_id}/export.json")
        assert response.mimetype == "application/json"
        assert re.search(
            r'filename="tiny-journey-\d{4}-\d\d-\d\d\.json"',
            response.headers["Content-Disposition"],
        )
        journey = fileformat.loads(response.data)
        assert response.get_data(as_text=True) == fileformat.dumps(journey)
        assert fileformat.to_data(journey) == fileformat.to_data(fileformat.from_data(tiny()))

    def test_an_export_imports_back_to_the_same_journey(self, signed_in, journey_id, upload):
        first = signed_in.get(f"/journeys/{journey_id}/export.json").data
        response = upload(first, "again.json")
        again = signed_in.get(response.headers["Location"] + "/export.json").data
        assert again == first
