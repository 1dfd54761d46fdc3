"""Time the read-only screens of a very large journey, and the memory each request adds.

Goal (issue 9): the report, mentions, exports and workshop report of a
20,000-touchpoint journey answer within 3 s, or show a clear "too large to
draw here" view in that time; memory per request under 300 MB. The map is
issue 10's and is left out here.

Usage: python bench/big.py [--touchpoints 20000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

SCREENS = (
    "report",
    "report/diagram",
    "mentions/",
    "export/",
    "export/findings.csv",
    "export/diagram.svg",
    "export/workshop.html",
    "export.json",
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=20_000)
    args = parser.parse_args()
    from app import create_app
    from app.extensions import db
    from app.models import User
    from app.saving import create
    from journeys import fileformat

    folder = Path(tempfile.mkdtemp(prefix="claimpath-big-"))
    app = create_app(
        {
            "SECRET_KEY": "big",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'big.sqlite'}",
            "DIAGRAM_CACHE_DIR": str(folder / "diagrams"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        user = User(email="big@example.com", password_hash="-")
        db.session.add(user)
        db.session.commit()
        started = time.perf_counter()
        source = fileformat.from_data(generate.journey(args.touchpoints))
        journey = create(source, user, "Big journey")
        journey_id, login = journey.id, user.get_id()
        print(
            f"made a {args.touchpoints}-touchpoint journey in {time.perf_counter() - started:.1f} s"
        )
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = login
    print(f"{'screen':24} {'status':>6} {'seconds':>8} {'peak RSS MB':>12}")
    for screen in SCREENS:
        before = _rss_mb()
        started = time.perf_counter()
        response = client.get(f"/journeys/{journey_id}/{screen}")
        response.get_data()
        took = time.perf_counter() - started
        print(
            f"{screen:24} {response.status_code:>6} {took:8.2f} {_rss_mb():12.0f}"
            f"  (+{_rss_mb() - before:.0f})"
        )


if __name__ == "__main__":
    main()
