"""The front page in a real headless Chromium at a phone's and a desktop's width.

The page has no script, so the measuring is done by a harness page (served from the same
folder, so same origin) that loads index.html in an iframe of the given width and writes what
it measured into its own DOM, which Chromium's --dump-dom prints.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from feeds.build import build_feeds
from feeds.serve import serve_directory
from storage.records import Category
from tests.feeds.support import article, make_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)

HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="page" src="index.html" style="border:0;width:WIDTHpx;height:9000px"></iframe>
<pre id="result">not measured</pre>
<script>
window.addEventListener("load", function () {
  var d = document.getElementById("page").contentDocument;
  var view = d.documentElement.clientWidth, wide = [], headlines = [];
  d.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > view + 0.5 || r.left < -0.5)) {
      wide.push(e.tagName + "." + e.className + " " + Math.round(r.left) + ".." + Math.round(r.right));
    }
  });
  d.querySelectorAll("ol.latest a").forEach(function (a) {
    var r = a.getBoundingClientRect(), s = d.defaultView.getComputedStyle(a);
    var line = a.getClientRects()[0];  // the first line of the (maybe wrapped) link
    var top = d.elementFromPoint(line.left + Math.min(line.width, 20) / 2, line.top + line.height / 2);
    headlines.push({text: a.textContent, width: r.width, height: r.height, left: r.left,
      right: r.right, shown: s.visibility === "visible" && s.display !== "none" && s.opacity === "1",
      onTop: !!top && (top === a || a.contains(top)), fontSize: parseFloat(s.fontSize)});
  });
  document.getElementById("result").textContent = JSON.stringify({
    view: view, scrollWidth: d.documentElement.scrollWidth, wide: wide, headlines: headlines});
});
</script></body></html>
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("index")
    store = make_store(root / "finews.db", count=12)
    # Names and titles that try to widen the page: long words without spaces, long Chinese.
    long_ascii = "SZ002752" * 12
    records = [
        article(
            40 + n,
            day=9,
            title=(long_ascii if n % 2 else "超长标题" * 20) + f"（{n}）",
            media=f"媒体{n}",
            categories=[
                Category(f"meiti{n}", ("很长的媒体名称" * 6) if n == 3 else f"媒体{n}", "media")
            ],
        )
        for n in range(8)
    ]
    store.save_articles(records, "2022-02-09T12:00:00+08:00")
    out = root / "out"
    build_feeds(store, out, "https://feeds.example.org/", limit=20, searches=(("zy", "重要"),))
    return out


def measure(folder: Path, width: int) -> dict:
    page = folder / f"harness-{width}.html"
    page.write_text(HARNESS.replace("WIDTH", str(width)), "utf-8")
    with serve_directory(str(folder), 0, verbose=False) as server:
        done = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={folder.parent / f'profile-{width}'}",
                f"--window-size={width},900", "--virtual-time-budget=5000", "--dump-dom",
                f"{server.url}harness-{width}.html",
            ],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no measurement from Chromium: {done.stderr[-2000:]}"
    return json.loads(html.unescape(found[1]))


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_overflows_and_the_headlines_are_visible(folder: Path, width: int) -> None:
    result = measure(folder, width)
    assert result["view"] == width
    assert result["scrollWidth"] <= width, result["wide"][:10]
    assert result["wide"] == []
    headlines = result["headlines"]
    assert len(headlines) == 20
    for headline in headlines:
        assert headline["shown"] and headline["onTop"], headline
        assert headline["width"] > 0 and headline["height"] > 0, headline
        assert headline["left"] >= 0 and headline["right"] <= width, headline
        assert headline["fontSize"] >= 14, headline
