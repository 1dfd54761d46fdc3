"""Settings from the environment, with safe defaults."""

from __future__ import annotations

import os

from app.config import settings


def test_the_database_defaults_to_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMPATH_DATABASE_URL", raising=False)
    config = settings(str(tmp_path / "instance"))
    assert (
        config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path / 'instance' / 'claimpath.sqlite'}"
    )


def test_the_database_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMPATH_DATABASE_URL", "postgresql+psycopg://u@db/claimpath")
    assert (
        settings(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/claimpath"
    )


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = settings(str(tmp_path))["SECRET_KEY"]
    second = settings(str(tmp_path))["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    assert os.stat(tmp_path / "secret_key").st_mode & 0o077 == 0


def test_each_instance_gets_its_own_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert (
        settings(str(tmp_path / "a"))["SECRET_KEY"] != settings(str(tmp_path / "b"))["SECRET_KEY"]
    )


def test_the_environment_key_wins_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert settings(str(tmp_path))["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
