"""Issue 9: ``make serve`` migrates, runs gunicorn, logs JSON lines and answers /healthz."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """Start ``make serve`` on SQLite in ``tmp_path``; yield its URL, log file and database."""
    port = _free_port()
    database = tmp_path / "serve.sqlite"
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "CLAIMPATH_DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "serve-test",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "CLAIMPATH_SEED_DEMO": "0",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(480):  # up to 2 min: migrations, the workers, a reinstall if needed
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        yield url, log, database
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def test_make_serve_runs_gunicorn_with_health_and_json_logs(served):
    url, log, database = served
    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ok", "database": "reachable"}
        assert response.headers["Server"].startswith("gunicorn")
    with urllib.request.urlopen(url + "/auth/signin", timeout=5) as response:
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    time.sleep(0.5)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert {"method": "GET", "path": "/auth/signin", "status": 200} in [
        {k: line[k] for k in ("method", "path", "status")} for line in lines
    ]
    assert all(isinstance(line["ms"], float) for line in lines)
    with sqlite3.connect(database) as connection:
        # Migrated, and no demo account without CLAIMPATH_SEED_DEMO=1.
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (0,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
