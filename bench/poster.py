"""Benchmark the journey map poster (issue 12 item 2, ``claimpath render --view map``).

Prints, on a generated journey (300 touchpoints by default):
- laying the poster out as SVG pages for A4, a slide and ``fit``, and turning the
  A4 pages into a PDF, against one ``dot -Tsvg`` run of the gap diagram's DOT;
- a cached poster export (PDF for A4, SVG for a slide) against a fresh one, its
  cache emptied before each fresh draw (goal: at least 20x faster).
Best of N runs each.

Usage: python bench/poster.py [--repeat N] [--touchpoints N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

from app import create_app  # noqa: E402
from app.analysis import gaps_of  # noqa: E402
from app.report import paged  # noqa: E402
from journeys import pages, poster, render  # noqa: E402
from journeys.analysis import analyse  # noqa: E402
from journeys.fileformat import from_data  # noqa: E402
from journeys.report import counted  # noqa: E402


def _best(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--touchpoints", type=int, default=300)
    args = parser.parse_args()
    journey = from_data(generate.journey(args.touchpoints))
    analysis = analyse(journey)
    source = render.to_dot(analysis).encode("utf-8")
    exe = shutil.which("dot") or "dot"
    plain = _best(
        args.repeat,
        lambda: subprocess.run([exe, "-Tsvg"], input=source, check=True, capture_output=True),
    )
    print(f"{args.touchpoints} touchpoints: dot -Tsvg of the gap diagram {plain * 1000:.0f} ms")
    for name in ("a4", "slide", "fit"):
        page = pages.PAGES.get(name)
        laid = _best(args.repeat, lambda page=page: poster.poster_svgs(analysis, page))
        sheet = poster.poster_svgs(analysis, page)
        print(
            f"poster on {name}: {counted(len(sheet.pages), 'page')} of {sheet.page.width:.0f}x"
            f"{sheet.page.height:.0f} pt laid out in {laid * 1000:.0f} ms"
        )
        if name == "a4":
            pdf = _best(1, lambda sheet=sheet: pages.to_pdf(sheet.pages))
            print(f"poster on a4 as PDF: {pdf * 1000:.0f} ms more")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "DIAGRAM_CACHE_DIR": folder,
            }
        )
        with app.app_context():
            gaps = gaps_of(journey)
            for fmt, page in (("pdf", "a4"), ("svg", "slide")):

                def fresh(fmt=fmt, page=page) -> None:
                    for f in Path(folder).iterdir():
                        f.unlink()
                    paged.paged(gaps, fmt, page, view="map")

                cold = _best(max(1, args.repeat // 2), fresh)
                warm = _best(
                    args.repeat * 4,
                    lambda fmt=fmt, page=page: paged.paged(gaps, fmt, page, view="map"),
                )
                print(
                    f"poster {fmt} on {page}: fresh {cold * 1000:.0f} ms, cached "
                    f"{warm * 1000:.2f} ms: {cold / warm:.0f}x faster (goal: at least 20x)"
                )


if __name__ == "__main__":
    main()
