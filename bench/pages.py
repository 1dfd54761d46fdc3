"""Benchmark the page-aware diagrams and the deck (issue 12).

Goals, on a generated 300-touchpoint journey:
- laying the gap diagram out for a page (rows, continuation markers, pages) as
  SVG costs at most 20% more than one ``dot -Tsvg`` run on the same journey's DOT;
- a cached paged export (PDF for A4, SVG for a slide, the slide deck, the journey
  map poster's PDF for A4) answers at least 20x faster than a fresh one (its cache
  emptied before each fresh draw).
Also printed: the journey map poster's layout time per page (``--view map``,
drawn without Graphviz) and its A4 PDF's conversion time.
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

        def fresh_layout(page=page) -> None:
            pages.forget_layouts()  # rows kept from the last run would skip Graphviz
            pages.paged_svgs(analysis, page)

        laid = _best(args.repeat, fresh_layout)
        count = len(pages.paged_svgs(analysis, page).pages)
        print(
            f"{args.touchpoints} touchpoints, page {name}: dot -Tsvg {plain * 1000:.0f} ms, "
            f"paged SVG ({count} pages) {laid * 1000:.0f} ms: "
            f"{(laid / plain - 1) * 100:+.0f}% (goal: at most +20%)"
        )
    for name in ("a4", "slide", "fit"):
        page = pages.PAGES.get(name)
        laid = _best(args.repeat, lambda page=page: poster.poster_svgs(analysis, page))
        sheet = poster.poster_svgs(analysis, page)
        shown = counted(len(sheet.pages), "page")
        print(f"journey map poster, page {name}: {shown}, {laid * 1000:.0f} ms")
        if name == "a4":
            pdf = _best(1, lambda sheet=sheet: pages.to_pdf(sheet.pages))
            print(f"journey map poster, A4 pages to PDF: {pdf * 1000:.0f} ms")
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
            cases = (("pdf", "a4", "gaps"), ("svg", "slide", "gaps"), ("pptx", "slide", "gaps"))
            for fmt, page, view in (*cases, ("pdf", "a4", "map")):

                def fresh(fmt=fmt, page=page, view=view) -> None:
                    for f in Path(folder).iterdir():
                        f.unlink()
                    pages.forget_layouts()
                    paged.paged(gaps, fmt, page, view=view)

                cold = _best(max(1, args.repeat // 2), fresh)
                warm = _best(
                    args.repeat * 4,
                    lambda fmt=fmt, page=page, view=view: paged.paged(gaps, fmt, page, view=view),
                )
                print(
                    f"{'poster ' * (view == 'map')}{fmt} on {page}: fresh {cold * 1000:.0f} ms, "
                    f"cached {warm * 1000:.2f} ms: "
                    f"{cold / warm:.0f}x faster (goal: at least 20x)"
                )


if __name__ == "__main__":
    main()
