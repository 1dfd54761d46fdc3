"""The web app's docstring examples run (pytest's doctest collection covers only journeys/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "app.convert",
    "app.credentials",
    "app.diagrams",
    "app.exports",
    "app.grid",
    "app.revisions",
    "app.ui",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
