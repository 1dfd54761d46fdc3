"""Benchmark a workspace's Overview: its queries and time as the workspace grows.

Prints, for workspaces of N example journeys: the SQL statements one Overview
takes (cold: analyses not cached yet; warm: cached) and the median time of a
warm one, through the Flask test client. The statements stay the same whatever
N (issue 15: a fixed number of queries).

Usage: python bench/overview.py [--sizes 1,10,30] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app, examples  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Journey, User  # noqa: E402
from app.saving import create  # noqa: E402
from app.workspaces import create as create_workspace  # noqa: E402


def _counted(app, client, url: str) -> tuple[int, float]:
    seen: list[str] = []

    def count(*_args) -> None:
        seen.append("q")

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    start = time.perf_counter()
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(seen), time.perf_counter() - start


def run(size: int, repeat: int) -> tuple[int, int, float]:
    """Return the cold and warm statement counts and the warm median seconds for ``size``."""
    folder = Path(tempfile.mkdtemp(prefix="claimpath-overview-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "DIAGRAM_CACHE_DIR": str(folder / "diagrams"),
        }
    )
    with app.app_context():
        templates = examples.examples()
        db.create_all()
        user = User(email="bench@example.com", password_hash="-")
        db.session.add(user)
        db.session.commit()
        workspace = create_workspace("Bench", user)
        for n in range(size):
            journey = create(templates[n % len(templates)].journey, user, "Bench", f"J{n}")
            db.session.get(Journey, journey.id).workspace_id = workspace.id
        db.session.commit()
        url = f"/workspaces/{workspace.id}/overview"
        login = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = login
        session["_fresh"] = True
    cold, _ = _counted(app, client, url)
    warm = [_counted(app, client, url) for _ in range(repeat)]
    return cold, warm[0][0], statistics.median(t for _, t in warm)


def main() -> None:
    """Print the Overview's statements and warm time for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,30")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("journeys  statements(cold)  statements(warm)  warm median")
    for size in (int(s) for s in args.sizes.split(",")):
        cold, warm, seconds = run(size, args.repeat)
        print(f"{size:8}  {cold:16}  {warm:16}  {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
