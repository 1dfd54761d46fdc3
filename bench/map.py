"""Benchmark the journey map as a workspace (issue 10): the map page and an in-place save.

Goals, on a local server: a 300-touchpoint map page answers in at most 300 ms,
an in-place save (a card moved to another stage, then the map the browser is
sent to) in at most 250 ms; a 20,000-touchpoint journey's map within 3 s (it
is shown stage by stage), and one of its touchpoints' edit form and save.
Prints medians; asserts nothing about time.

Usage: python bench/map.py [--repeat N] [--touchpoints N] [--large N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import web  # noqa: E402


def _whole(client: web.Client, method: str, path: str, body: str | None = None):
    start = time.perf_counter()
    _first, status, data = client.request(method, path, body)
    return time.perf_counter() - start, status, data


def _measure(touchpoints: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        server, port, journey_id = web._serve(Path(tmpdir), touchpoints)
        client = web.Client(port)
        client.request(
            "POST", "/auth/signin", urlencode({"email": web.EMAIL, "password": web.PASSWORD})
        )
        path = f"/journeys/{journey_id}"
        _seconds, status, page = _whole(client, "GET", path)  # warm the analysis cache
        assert status == 200, status
        pages = []
        for _ in range(repeat):
            seconds, status, page = _whole(client, "GET", path)
            pages.append(seconds)
        text = page.decode()
        print(
            f"{touchpoints} touchpoints: map page {statistics.median(pages) * 1000:.0f} ms "
            f"(median of {repeat}), {len(page) / 1024:.0f} KiB"
        )
        if "Too large to show card by card" in text:
            print("  shown stage by stage (too large to show card by card)")
            _edit_one(client, journey_id, repeat)
            server.shutdown()
            return
        key = re.search(r'data-touchpoint="([^"]+)"', text).group(1)
        stages = re.findall(r'<th scope="col" class="stage-head" data-stage="([^"]+)"', text)
        saves, rounds = [], []
        for i in range(repeat):
            version = re.search(
                rf'action="/journeys/{journey_id}/map/{re.escape(key)}/move"[^>]*>\s*'
                r'<input type="hidden" name="csrf_token" value="[^"]*">'
                r'<input type="hidden" name="lanes" value="[^"]*">'
                r'<input type="hidden" name="version" value="([^"]+)">',
                text,
            ).group(1)
            body = urlencode({"stage": stages[i % 2], "version": version, "lanes": "channel"})
            seconds, status, _ = _whole(
                client, "POST", f"/journeys/{journey_id}/map/{key}/move", body
            )
            assert status == 303, status
            after, status, page = _whole(client, "GET", path)
            text = page.decode()
            saves.append(seconds)
            rounds.append(seconds + after)
        print(
            f"  in-place save (move a card): {statistics.median(saves) * 1000:.0f} ms; "
            f"with the map sent back: {statistics.median(rounds) * 1000:.0f} ms"
        )
        server.shutdown()


def _edit_one(client: web.Client, journey_id: int, repeat: int) -> None:
    """Time one touchpoint's edit form and its save (a new title), as a browser posts it."""
    from load import form_fields

    path = f"/journeys/{journey_id}/touchpoints/t0-0/edit"
    forms, saves, size = [], [], 0
    for i in range(repeat):
        seconds, status, page = _whole(client, "GET", path)
        assert status == 200, status
        forms.append(seconds)
        size = len(page)
        fields = [
            (k, f"Renamed {i}" if k == "title" else v) for k, v in form_fields(page.decode(), path)
        ]
        seconds, status, _ = _whole(client, "POST", path, urlencode(fields))
        assert status == 302, status
        saves.append(seconds)
    print(
        f"  one touchpoint: edit form {statistics.median(forms) * 1000:.0f} ms "
        f"({size / 1000:,.0f} kB), "
        f"its save {statistics.median(saves) * 1000:.0f} ms (median of {repeat})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the journey map.")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--touchpoints", type=int, default=300)
    parser.add_argument("--large", type=int, default=20_000)
    args = parser.parse_args()
    _measure(args.touchpoints, args.repeat)
    if args.large:
        _measure(args.large, 3)


if __name__ == "__main__":
    main()
