"""Print how long sign-up and Invite take with and without an existing account (issue 9).

The two answers must say the same words (tests/app/test_auth.py and
tests/app/test_invitations.py check that); this prints the time each takes, in
process on a throwaway SQLite file, so a difference that would tell an attacker
who has an account shows up. Run: ``.venv/bin/python bench/accounts.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

PASSWORD = "a long bench password"
ROUNDS = 15
NAMES = ("sign-up, new email", "sign-up, taken email", "invite, an account", "invite, no account")


def _app(folder: Path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "DIAGRAM_CACHE_DIR": str(folder / "d"),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _ms(post) -> float:
    start = time.perf_counter()
    response = post()
    took = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        owner = app.test_client()
        data = {"email": "owner@example.com", "password": PASSWORD, "confirm": PASSWORD}
        owner.post("/auth/signup", data=data)
        owner.post("/auth/signin", data={"email": data["email"], "password": PASSWORD})
        made = owner.post(
            "/journeys/new",
            data={
                "start": "blank",
                "title": "Bench",
                "credential": "Badge",
                "stage": "Enrol",
                "touchpoint": "Welcome",
            },
        )
        journey = made.headers["Location"].rstrip("/").rsplit("/", 1)[1]

        def sign_up(email: str):
            form = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
            return lambda: app.test_client().post("/auth/signup", data=form)

        def invite(email: str):
            form = {"person-email": email, "person-role": "viewer"}
            return lambda: owner.post(f"/journeys/{journey}/sharing/people", data=form)

        # Taken in turns, so that the machine's load drifts over both alike.
        rows: dict[str, list[float]] = {name: [] for name in NAMES}
        for n in range(ROUNDS):
            rows[NAMES[0]].append(_ms(sign_up(f"new{n}@example.com")))
            rows[NAMES[1]].append(_ms(sign_up("owner@example.com")))
            rows[NAMES[2]].append(_ms(invite(f"new{n}@example.com")))
            rows[NAMES[3]].append(_ms(invite(f"none{n}@example.com")))
    print(f"{'answer':24} {'median ms':>10} {'p90 ms':>8}  ({ROUNDS} each)")
    for name, times in rows.items():
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{name:24} {statistics.median(times):10.1f} {p90:8.1f}")


if __name__ == "__main__":
    main()
