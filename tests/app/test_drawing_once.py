"""A drawing missed by several threads or worker processes at once is drawn once (issue 9).

After a save every worker that serves the new revision's report misses its
diagram at the same moment; :func:`app.report.diagrams.cached` lets one of them
draw it while the others wait, then serves them the kept drawing.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from app import create_app
from app.report import diagrams
from tests.app.test_redis import flushed, redis_url  # noqa: F401 (fixtures)


class Gaps:
    """Just what the cache key needs: which journey and revision."""

    key = ("journey-1", "revision-7")


def _app(folder: Path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'unused.sqlite'}",
            "DIAGRAM_CACHE_DIR": str(folder / "diagrams"),
            **config,
        }
    )


def _slow_draw(log: Path):
    """Return a draw that notes each drawing in ``log`` and takes long enough for others to miss."""

    def draw(timeout: float) -> bytes:
        with log.open("a") as fh:
            fh.write("drawn\n")
        time.sleep(0.5)
        return b"<svg>drawn once</svg>"

    return draw


def _draws(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def _miss_in_threads(app, log: Path, count: int) -> list[tuple[bytes, str]]:
    start = threading.Barrier(count)
    got: list[tuple[bytes, str]] = []

    def worker() -> None:
        with app.test_request_context():
            start.wait()
            got.append(diagrams.cached(Gaps, "svg", ("gap",), _slow_draw(log)))

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return got


def test_threads_missing_one_drawing_draw_it_once(tmp_path):
    app, log = _app(tmp_path), tmp_path / "draws.log"
    got = _miss_in_threads(app, log, 4)
    assert got == [(b"<svg>drawn once</svg>", "svg")] * 4
    assert _draws(log) == 1


def _process(folder: str, log: str, start, out) -> None:
    app = _app(Path(folder))
    with app.test_request_context():
        start.wait()
        out.put(diagrams.cached(Gaps, "svg", ("gap",), _slow_draw(Path(log))))


def test_worker_processes_missing_one_drawing_draw_it_once(tmp_path):
    context = multiprocessing.get_context("spawn")  # as separate as gunicorn's workers
    start, out = context.Barrier(3), context.Queue()
    log = tmp_path / "draws.log"
    workers = [
        context.Process(target=_process, args=(str(tmp_path), str(log), start, out))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    answers = [out.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert answers == [(b"<svg>drawn once</svg>", "svg")] * 3
    assert _draws(log) == 1
    # The lock files go with their drawing: nothing is left to pile up.
    assert [p.name for p in (tmp_path / "diagrams").iterdir() if p.suffix == ".lock"] == []


def test_a_lock_held_too_long_is_not_waited_for_forever(tmp_path):
    app, log = _app(tmp_path, DIAGRAM_TIMEOUT=0.2), tmp_path / "draws.log"
    with app.test_request_context():
        name = "held-elsewhere"
        shelf = diagrams.store()
        with shelf.lock(name, 1) as held:  # as another worker stuck in a drawing would
            assert held
            with shelf.lock(name, 0.1) as second:
                assert not second
            assert diagrams.cached(Gaps, "svg", ("gap",), _slow_draw(log))[0].startswith(b"<svg")
    assert _draws(log) == 1


def test_an_unwritable_cache_folder_draws_without_a_lock(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = _app(tmp_path, DIAGRAM_CACHE_DIR=str(blocker / "diagrams"))
    log = tmp_path / "draws.log"
    with app.test_request_context():
        for _ in range(2):
            assert diagrams.cached(Gaps, "svg", ("gap",), _slow_draw(log))[1] == "svg"
    assert _draws(log) == 2  # nothing could be kept, so each request drew: no error


@pytest.mark.usefixtures("flushed")
def test_the_redis_store_draws_once_across_machines(tmp_path, flushed):  # noqa: F811
    pytest.importorskip("redis")
    from app.sharedstore import RedisStore

    one = _app(tmp_path / "one", REDIS_URL=flushed)
    two = _app(tmp_path / "two", REDIS_URL=flushed)
    with one.test_request_context():
        shelf = diagrams.store()
        assert isinstance(shelf, RedisStore)
        with shelf.lock("a-drawing", 1) as held:
            assert held
            with two.test_request_context():
                with diagrams.store().lock("a-drawing", 0.2) as other:
                    assert not other  # the other machine waits for this one
        with two.test_request_context():
            with diagrams.store().lock("a-drawing", 0.2) as other:
                assert other  # released: free again
    log = tmp_path / "draws.log"
    got = []
    machines = (one, two, one, two)
    start = threading.Barrier(len(machines))

    def worker(app) -> None:
        with app.test_request_context():
            start.wait()
            got.append(diagrams.cached(Gaps, "svg", ("gap",), _slow_draw(log)))

    threads = [threading.Thread(target=worker, args=(m,)) for m in machines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert got == [(b"<svg>drawn once</svg>", "svg")] * 4
    assert _draws(log) == 1


def test_the_cache_folder_is_counted_again_only_past_its_bound(tmp_path, monkeypatch):
    app = _app(tmp_path, DIAGRAM_CACHE_BYTES=10_000)
    counts: list[Path] = []
    real = diagrams._trimmed

    def counted(folder: Path, bound: int) -> int:
        counts.append(folder)
        return real(folder, bound)

    monkeypatch.setattr(diagrams, "_trimmed", counted)
    with app.test_request_context():
        shelf = diagrams.store()
        for n in range(5):
            shelf.put(f"small-{n}.svg", b"x" * 1_000)
        assert len(counts) == 1  # counted once, then added up
        for n in range(10):
            shelf.put(f"large-{n}.svg", b"y" * 3_000)
    folder = tmp_path / "diagrams"
    assert len(counts) > 1
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 10_000
    assert (folder / "large-9.svg").exists()  # the newest kept, the oldest gone
    assert not (folder / "small-0.svg").exists()
