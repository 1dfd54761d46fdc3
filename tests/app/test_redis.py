"""Redis as the shared store of several app servers (issue 9), tested on a real redis-server.

A throwaway ``redis-server`` (Debian's package, installed by ``make test``) runs
on a free port for this module; two app instances, as two machines would be,
share its rate-limit counters and diagram cache.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from app import create_app
from app.config import settings
from app.extensions import db
from app.report import diagrams
from app.sharedstore import PREFIX, RedisStore

SERVER = shutil.which("redis-server")
redis = pytest.importorskip("redis", reason="the redis extra is not installed: pip install redis")

pytestmark = pytest.mark.skipif(
    SERVER is None, reason="redis-server is not installed (Debian: apt-get install redis-server)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """Return the URL of a redis-server started for these tests, stopped after them."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def _machine(tmp_path, url: str, name: str):
    """Return an app as one machine runs it: its own cache folder, the shared database and Redis."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "DIAGRAM_CACHE_DIR": str(tmp_path / f"diagrams-{name}"),
            "RATELIMIT_STORAGE_URI": url,
            "REDIS_URL": url,
            "SIGNUP_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def flushed(redis_url: str) -> str:
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


def test_the_environment_variable_puts_both_in_redis(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMPATH_REDIS_URL", "redis://cache.internal:6379/0")
    found = settings(str(tmp_path))
    assert found["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert found["REDIS_URL"] == "redis://cache.internal:6379/0"


def test_two_app_servers_share_the_rate_limit_counts(tmp_path, flushed):
    one, two = _machine(tmp_path, flushed, "one"), _machine(tmp_path, flushed, "two")
    data = {"email": "not-an-email", "password": "x", "confirm": "x"}
    answers = [
        machine.test_client().post("/auth/signup", data=data).status_code
        for machine in (one, two, one, two)
    ]
    # Three sign-ups a minute from one address, counted across both machines.
    assert answers == [200, 200, 200, 429]
    assert redis.Redis.from_url(flushed).keys("LIMITS*")


def test_two_app_servers_share_drawn_diagrams(tmp_path, flushed, monkeypatch):
    one, two = _machine(tmp_path, flushed, "one"), _machine(tmp_path, flushed, "two")
    drawn: list[str] = []

    class Gaps:  # just what the cache key needs: which journey and revision
        key = ("journey-1", "revision-7")

    def draw(timeout: float) -> bytes:
        drawn.append("drawn")
        return b"<svg/>"

    with one.test_request_context():
        assert isinstance(diagrams.store(), RedisStore)
        assert diagrams.cached(Gaps, "svg", ("gap",), draw) == (b"<svg/>", "svg")
    with two.test_request_context():
        assert diagrams.cached(Gaps, "svg", ("gap",), draw) == (b"<svg/>", "svg")
    assert drawn == ["drawn"]  # the second machine served the first one's drawing
    assert redis.Redis.from_url(flushed).keys(PREFIX + "*")
    assert not (tmp_path / "diagrams-one").exists()  # kept in Redis, not on one machine


def test_redis_away_means_drawing_again_not_an_error(tmp_path):
    app = _machine(tmp_path, "memory://", "one")
    store = RedisStore(f"redis://127.0.0.1:{_free_port()}/0")
    with app.app_context():
        store.put("x.svg", b"data")
        assert store.get("x.svg") is None
