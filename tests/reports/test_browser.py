"""The HTML report in a real browser (headless Chromium): it renders, and the DOM has the summary.

Skipped, with the reason, when no Chromium is installed (``apt-get install chromium``).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from lxml import html

from hegui.reports.html import render_html
from hegui.validator.result import Batch
from hegui.validator.spec import Spec

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
                 if p), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, timeout=120, check=False)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def png_rows(data: bytes, max_rows: int) -> tuple[int, int, list[bytes]]:
    """Width, channels and the first ``max_rows`` decoded rows of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG layout"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            line[i] = (line[i] + (0, a, b, (a + b) // 2, _paeth(a, b, c))[ftype]) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


@pytest.fixture
def report_file(tmp_path: Path, report_batch: Batch, report_specs: dict[str, Spec],
                report_sources: dict[str, bytes]) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_html(report_batch, report_specs, lang="en", sources=report_sources),
                    encoding="utf-8")
    return path


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                             "(Debian: apt-get install chromium)")
def test_screenshot_and_dom(tmp_path: Path, report_file: Path) -> None:
    shot = tmp_path / "shot.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900",
                    report_file.as_uri())
    assert shot.is_file(), run.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert len(data) > 10_000
    width, channels, rows = png_rows(data, max_rows=400)
    assert width == 1200
    colours = {row[i:i + channels] for row in rows for i in range(0, len(row), channels * 7)}
    assert len(colours) > 20, "the screenshot is (nearly) one colour"

    dom = _chromium(tmp_path, "--dump-dom", report_file.as_uri())
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    doc = html.document_fromstring(dom.stdout.decode("utf-8"))
    summary = doc.get_element_by_id("summary")
    assert summary.tag == "table"
    cells = {td.get("data-verdict"): td.text_content()
             for td in summary.xpath(".//*[@data-verdict]")}
    assert cells == {"conformant": "2", "nonconformant": "2", "error": "2", "total": "6"}
    assert doc.xpath("//script") == []
