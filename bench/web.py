"""Benchmark the gap report in the browser's place: time to first byte over HTTP.

Goals, measured alternately on one journey served by a local server, medians compared:
- issue 8: the gap report page of a 20,000-touchpoint journey with a warm cache
  answers in at most 2x the journey map page's time (the default size). The
  "too large to draw here" guard (``BIG_JOURNEY_TOUCHPOINTS``) is turned off, so
  the real report page is measured, not the short page that replaces it.
- issue 4: on a 300-touchpoint journey (``--touchpoints 300``), the same ratio,
  and a cached diagram served at least 20x faster than a fresh render (the SVG
  download, its cache emptied before each fresh request).

Usage: python bench/web.py [--repeat N] [--touchpoints N]
"""

from __future__ import annotations

import argparse
import http.client
import logging
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.saving import create  # noqa: E402
from journeys.fileformat import from_data  # noqa: E402

EMAIL, PASSWORD = "bench@example.com", "a long enough password"


class Client:
    """A keep-alive HTTP client with one session cookie, timing each answer's first byte."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = ""
        #: Bytes of the last answer's body.
        self.size = 0

    def request(self, method: str, path: str, body: str | None = None) -> tuple[float, int, bytes]:
        """Return seconds to the answer's first byte, its status and its body."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()  # returns once the status line and headers are in
        first = time.perf_counter() - start
        data = response.read()
        self.size = len(data)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return first, response.status, data

    def get(self, path: str) -> float:
        first, status, _ = self.request("GET", path)
        assert status == 200, (path, status)
        return first


def _serve(folder: Path, touchpoints: int) -> tuple[object, int, int]:
    """Start the app on a free port with one journey; return the server, its port, the journey."""
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "DIAGRAM_CACHE_DIR": str(folder / "diagrams"),
            "WTF_CSRF_ENABLED": False,
            # The report page itself, not the "too large to draw here" page that
            # answers past 2,000 touchpoints (app/bigjourneys.py).
            "BIG_JOURNEY_TOUCHPOINTS": 0,
        }
    )
    with app.app_context():
        db.create_all()
        user = User(email=EMAIL)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        document = generate.journey(touchpoints, seed=3)
        journey_id = create(from_data(document), user, "Loaded for the benchmark").id
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_port, journey_id


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the gap report pages.")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--touchpoints", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        folder = Path(tmpdir)
        server, port, j = _serve(folder, args.touchpoints)
        client = Client(port)
        status = client.request(
            "POST", "/auth/signin", urlencode({"email": EMAIL, "password": PASSWORD})
        )[1]
        assert status == 302, status
        report, journey_map = f"/journeys/{j}/report", f"/journeys/{j}"
        cold = client.get(report)  # a large journey's page does not wait for the diagram
        drawn = client.get(f"{report}/diagram")  # the page's script fetches it: drawn, cached
        client.get(journey_map)
        ours, base, sizes = [], [], {}
        for _ in range(args.repeat):
            ours.append(client.get(report))
            sizes["report"] = client.size
            base.append(client.get(journey_map))
            sizes["map"] = client.size
        ours_t, base_t = statistics.median(ours), statistics.median(base)
        print(
            f"report page, {args.touchpoints} touchpoints, warm cache: "
            f"TTFB {ours_t * 1000:6.1f} ms   journey map {base_t * 1000:6.1f} ms   "
            f"ratio {ours_t / base_t:4.2f} (goal <= 2); pages of {sizes['report'] / 1e6:.1f} MB "
            f"and {sizes['map'] / 1e6:.1f} MB"
        )
        print(
            f"report page, first view: TTFB {cold * 1000:6.1f} ms, then its diagram panel "
            f"(drawn by Graphviz) {drawn * 1000:6.1f} ms"
        )

        svg = f"/journeys/{j}/export/diagram.svg"
        fresh, cached = [], []
        for _ in range(max(3, args.repeat // 3)):
            shutil.rmtree(folder / "diagrams", ignore_errors=True)
            fresh.append(client.get(svg))
            cached.append(client.get(svg))
        for _ in range(args.repeat):
            cached.append(client.get(svg))
        fresh_t, cached_t = statistics.median(fresh), statistics.median(cached)
        print(
            f"diagram SVG: fresh render {fresh_t * 1000:7.1f} ms   "
            f"cached {cached_t * 1000:6.1f} ms   speed-up {fresh_t / cached_t:5.1f}x (goal >= 20)"
        )
        server.shutdown()


if __name__ == "__main__":
    main()
