"""The journey file's JSON Schema: the examples pass, wrong shapes are refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from journeys.cli import main
from journeys.schema import schema

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "journeys" / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def validator():
    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_journey_validates(validator, path):
    assert list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))) == []


def _broken(change):
    document = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    change(document)
    return document


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.update(format="claimpath-journey/9"), id="wrong format"),
        pytest.param(lambda d: d["stages"][0].update(id="Bad Id"), id="bad id"),
        pytest.param(
            lambda d: d["touchpoints"][0].update(messages={d["credentials"][0]["id"]: ["gossip"]}),
            id="unknown message kind",
        ),
        pytest.param(lambda d: d["stages"][0].update(phase="party"), id="unknown phase"),
        pytest.param(lambda d: d.pop("touchpoints"), id="no touchpoints"),
    ],
)
def test_wrong_shapes_are_refused(validator, change):
    assert list(validator.iter_errors(_broken(change)))


def test_the_schema_knows_the_optional_credential_fields(validator):
    good = _broken(lambda d: d["credentials"][0].update(achievement_type="Badge", url="https://x"))
    assert list(validator.iter_errors(good)) == []
    bad = _broken(lambda d: d["credentials"][0].update(url=7))
    assert list(validator.iter_errors(bad))


def test_claimpath_schema_prints_it(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == copy.deepcopy(schema())
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
