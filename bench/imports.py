"""Time the issue-13 readers on real files, and a cartridge near the file-count limit.

No goal was set for these; the figures show that an upload is read in well
under a second, so the web request needs no background job.

Usage: python bench/imports.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile
from pathlib import Path

from journeys.cartridge import read_cartridge
from journeys.openbadges import read_credential

INTEROP = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "interop"


def _time(read, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        read()
    return (time.perf_counter() - start) / repeat * 1000


def _large(items: int) -> bytes:
    """Return a cartridge of one module with ``items`` web pages of a paragraph each."""
    resources = "".join(
        f'<resource identifier="r{i}" type="webcontent" href="p/{i}.html"><file href="p/{i}.html"/>'
        "</resource>"
        for i in range(items)
    )
    entries = "".join(
        f'<item identifier="i{i}" identifierref="r{i}"><title>Page {i}</title></item>'
        for i in range(items)
    )
    manifest = (
        '<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"><organizations>'
        '<organization><item identifier="root"><item identifier="m"><title>Module</title>'
        f"{entries}</item></item></organization></organizations><resources>{resources}"
        "</resources></manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for i in range(items):
            archive.writestr(f"p/{i}.html", f"<p>Page {i}: earn the Data Literacy Badge.</p>")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for path in sorted((INTEROP / "commoncartridge").rglob("*.imscc")):
        data = path.read_bytes()
        ms = _time(lambda data=data, path=path: read_cartridge(data, path.name), args.repeat)
        print(f"{path.name}: {ms:.1f} ms per import")
    big = _large(2000)
    ms = _time(lambda: read_cartridge(big, "big.imscc"), max(1, args.repeat // 10))
    print(f"synthetic 2,000-page cartridge ({len(big):,} bytes): {ms:.0f} ms per import")
    badge = (INTEROP / "ob3" / "validator-complete.json").read_bytes()
    ms = _time(lambda: read_credential(badge, "validator-complete.json"), args.repeat * 10)
    print(f"validator-complete.json ({len(badge):,} bytes): {ms:.2f} ms per read")


if __name__ == "__main__":
    main()
