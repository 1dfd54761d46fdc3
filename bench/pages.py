"""Benchmark the page-aware diagrams and the deck (issue 12).

Goals, on a generated 300-touchpoint journey:
- laying the gap diagram out for a page (rows, continuation markers, pages) as
  SVG costs at most 20% more than one ``dot -Tsvg`` run on the same journey's DOT;
- a cached paged export (PDF for A4, SVG for a slide, the slide deck) answers at
  least 20x faster than a fresh one (its cache emptied before each fresh draw).
Best of N runs each.

Usage: python bench/pages.py [--repeat N] [--touchpoints N]
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
from journeys import pages, render  # noqa: E402
from journeys.analysis import analyse  # noqa: E402
from journeys.fileformat import from_data  # noqa: E402


def _best(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
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
    for name in ("a4", "slide"):
        page = pages.PAGES[name]
        laid = _best(args.repeat, lambda page=page: pages.paged_svgs(analysis, page))
        count = len(pages.paged_svgs(analysis, page).pages)
        print(
            f"{args.touchpoints} touchpoints, page {name}: dot -Tsvg {plain * 1000:.0f} ms, "
            f"paged SVG ({count} pages) {laid * 1000:.0f} ms: "
            f"{(laid / plain - 1) * 100:+.0f}% (goal: at most +20%)"
        )
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
            for fmt, page in (("pdf", "a4"), ("svg", "slide"), ("pptx", "slide")):

                def fresh(fmt=fmt, page=page) -> None:
                    for f in Path(folder).iterdir():
                        f.unlink()
                    paged.paged(gaps, fmt, page)

                cold = _best(max(1, args.repeat // 2), fresh)
                warm = _best(
                    args.repeat * 4, lambda fmt=fmt, page=page: paged.paged(gaps, fmt, page)
                )
                print(
                    f"{fmt} on {page}: fresh {cold * 1000:.0f} ms, cached {warm * 1000:.2f} ms: "
                    f"{cold / warm:.0f}x faster (goal: at least 20x)"
                )


if __name__ == "__main__":
    main()
