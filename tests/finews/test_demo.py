"""The generated sites: the generator, the fixture and demo specs, truth files, the server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from finews.demo.build import build_site, load_truth, temporary_site
from finews.demo.demo_data import demo_site_spec
from finews.demo.server import DirectorySite, RunningServer, serve
from tests import ROOT
from tests.fixtures.site_spec import fixture_site_spec


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture()
def server(site_root: Path) -> Iterator[RunningServer]:
    """The fixture site on a server of its own, so its request log starts empty."""
    with serve(DirectorySite(site_root)) as running:
        yield running


def article(truth: dict, **match: object) -> dict:
    found = [a for a in truth["articles"] if all(a[k] == v for k, v in match.items())]
    assert len(found) == 1, match
    return found[0]


def with_quirk(truth: dict, quirk: str) -> list[dict]:
    return [a for a in truth["articles"] if quirk in a["quirks"]]


def test_list_page_links_what_the_truth_says(server: RunningServer, truth: dict) -> None:
    column = truth["columns"][0]
    status, headers, body = fetch(server.url + column["pages"][0])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    doc = lxml.html.fromstring(body.decode("utf-8"))
    hrefs = doc.xpath('//ul[@id="newsListContent"]/li//p[@class="title"]/a/@href')
    expected = [
        x["href"] for a in truth["articles"] for x in a["listed"] if x["page"] == column["pages"][0]
    ]
    assert sorted(hrefs) == sorted(expected)
    assert doc.xpath('//div[@class="pagerbox"]/a/@href') == [f"{column['slug']}_2.html"]

    _, _, last = fetch(server.url + column["pages"][-1])
    assert b"pagerbox" not in last


def test_every_list_page_exists_and_last_has_no_next(server: RunningServer, truth: dict) -> None:
    assert len(truth["columns"]) >= 3
    for column in truth["columns"]:
        assert len(column["pages"]) == 2
        for number, path in enumerate(column["pages"], start=1):
            status, _, body = fetch(server.url + path)
            assert status == 200
            last = number == len(column["pages"])
            if column["style"] == "classic":
                assert (b"pagerbox" in body) != last
            else:
                # 2026: the pager names every page; only "next" leaves the last one.
                assert b"pagerbox" in body and ("下一页".encode() in body) != last


def test_api_answer_is_json_with_the_fields(server: RunningServer, truth: dict) -> None:
    a = next(a for a in truth["articles"] if not a["api_missing"] and a["published"])
    status, headers, body = fetch(server.url + a["api"])
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    record = json.loads(body.decode("utf-8"))
    assert set(record) == {
        "Id", "Title", "Date", "medianame", "From", "Author", "url", "text", "content",
    }  # fmt: skip
    assert record["Id"] == a["id"]
    assert record["Title"].strip() == a["title"]
    assert record["Date"].replace(" ", "T") + "+08:00" == a["published"]
    assert record["medianame"] == a["media"]
    assert record["url"].endswith(f"/a/{a['code']}.html")
    assert "<p" in record["text"] and "<p" in record["content"]


def test_api_records_honour_missing_fields_and_raw_json(server: RunningServer, truth: dict) -> None:
    for a in truth["articles"]:
        record = json.loads(fetch(server.url + a["api"])[2])
        for key in ("text", "content", "Date"):
            assert (key in record) == (key not in a["api_missing"]), (a["id"], key)
        assert record["Title"].strip() == a["title"]  # raw in JSON: no HTML escapes
    special = with_quirk(truth, "title-emoji")
    assert special and all(c in special[0]["title"] for c in "&<>\"'")


def test_text_has_no_autolinks_content_has_them(server: RunningServer, truth: dict) -> None:
    a = next(a for a in with_quirk(truth, "autolinks") if not a["api_missing"] and not a["broken"])
    record = json.loads(fetch(server.url + a["api"])[2])
    assert "keytip" not in record["text"] and "infokey" not in record["text"]
    assert any(k in record["content"] for k in ("keytip", "infokey", "em_stock_key_common"))


def test_gbk_declared_in_header(server: RunningServer, truth: dict) -> None:
    a = article(truth, encoding="gbk-header")
    status, headers, body = fetch(server.url + a["urls"][0])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=gbk"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gbk")
    assert a["title"] in text and "charset" not in text


def test_gbk_declared_only_in_meta(server: RunningServer, truth: dict) -> None:
    a = article(truth, encoding="gbk-meta")
    status, headers, body = fetch(server.url + a["urls"][0])
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    text = body.decode("gbk")
    assert '<meta charset="gbk">' in text and a["title"] in text


@pytest.mark.parametrize(
    "target",
    [
        "/a/000000000000000000.html",
        "/NewsData/GetNewsText.do?id=../../etc/passwd",
        "/NewsData/GetNewsText.do?id=..%2F..%2Fsite",
        "/NewsData/GetNewsText.do?id=NW1&id=NW2",
        "/NewsData/GetNewsText.do",
        "/a/..%2F..%2F..%2Fetc%2Fpasswd",
        "/a/../site.json",
        "//etc/passwd",
        "/site.json",
        "/README.md",
        "/_headers.json",
    ],
)
def test_unknown_and_hostile_paths_are_404(server: RunningServer, target: str) -> None:
    status, _, body = fetch(server.url + target)
    assert status == 404
    assert body == b"not found\n"


def test_every_truth_url_is_served(server: RunningServer, truth: dict) -> None:
    for a in truth["articles"]:
        for target in [*a["urls"], a["api"]]:
            assert fetch(server.url + target)[0] == 200, target
    for target in truth["empty_api"]:
        assert json.loads(fetch(server.url + target)[2])["Title"] == ""
    status, _, robots = fetch(server.url + "/robots.txt")
    assert status == 200
    hidden = truth["disallowed"][0]["path"]
    assert robots == f"User-agent: *\nDisallow: {hidden}\n".encode()


def test_the_rolling_news_api_answers_as_the_source_does(
    server: RunningServer, truth: dict
) -> None:
    fast = next(s for s in truth["streams"] if s["kind"] == "fastnews")
    # Without its cursor and clock the API gives no data.
    assert json.loads(fetch(server.url + fast["start"])[2])["data"] is None
    seen, cursor = [], ""
    for _ in range(fast["pages"] + 1):
        status, headers, body = fetch(f"{server.url}{fast['start']}&sortEnd={cursor}&req_trace=1")
        assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
        answer = json.loads(body)
        assert answer["code"] == "1"
        seen.append([record["code"] for record in answer["data"]["fastNewsList"]])
        cursor = answer["data"]["sortEnd"]
    # Two pages of records, then the page after the last cursor: empty.
    assert seen[:-1] == [[r["code"] for r in fast["records"] if r["on_page"] == n] for n in (1, 2)]
    assert seen[-1] == [] and cursor == ""
    status, headers, body = fetch(f"{server.url}{fast['start']}&sortEnd=&req_trace=1&callback=cb_1")
    assert headers["Content-Type"].startswith("application/javascript")
    assert body.startswith(b"cb_1({") and body.endswith(b"})")
    assert fetch(f"{server.url}{fast['start']}&sortEnd=&req_trace=1&callback=alert(1)")[0] == 404


def test_the_kuaixun_list_and_the_column_api(server: RunningServer, truth: dict) -> None:
    streams = {s["kind"]: s for s in truth["streams"]}
    script = fetch(server.url + streams["kuaixun"]["start"])[2].decode("utf-8")
    assert script.startswith("var ajaxResult={") and script.endswith("};")
    columns = streams["colapi"]
    answer = json.loads(fetch(server.url + columns["start"])[2])
    codes = [record["code"] for record in answer["data"]["list"]]
    assert codes == [r["code"] for r in columns["records"] if r["on_page"] == 1]
    assert all(record["mediaName"] for record in answer["data"]["list"])


def test_request_log_counts_and_remembers_paths(server: RunningServer, truth: dict) -> None:
    assert server.requests.total == 0
    page = truth["columns"][0]["pages"][0]
    a = truth["articles"][0]
    fetch(server.url + page)
    fetch(server.url + page)
    fetch(server.url + a["api"])
    fetch(server.url + "/nothing-here")
    assert server.requests.total == len(server.requests) == 4
    assert server.requests.paths[page] == 2
    assert server.requests.targets[2] == a["api"]
    assert a["api"] in server.requests and "/NewsData/GetNewsText.do" in server.requests
    assert [h.status for h in server.requests.hits] == [200, 200, 200, 404]
    assert truth["disallowed"][0]["path"] not in server.requests


def test_latency_delays_each_answer(site_root: Path) -> None:
    with serve(DirectorySite(site_root), latency=0.2) as slow:
        start = time.monotonic()
        assert fetch(slow.url + "/robots.txt")[0] == 200
        assert time.monotonic() - start >= 0.2


def test_serve_refuses_non_loopback_hosts(site_root: Path) -> None:
    with pytest.raises(ValueError), serve(DirectorySite(site_root), host="0.0.0.0"):
        pass


def test_server_module_runs_in_a_subprocess(site_root: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "finews.demo.server", str(site_root)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert fetch(url + "/robots.txt")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0
    assert proc.stderr is not None and proc.stderr.read() == ""  # quiet: no request log lines


def _parse_page(root: Path, path: str, encoding: str) -> lxml.html.HtmlElement:
    raw = (root / path.lstrip("/")).read_bytes()
    return lxml.html.fromstring(raw.decode("utf-8" if encoding == "utf-8" else "gbk"))


def _page_title(doc: lxml.html.HtmlElement) -> str:
    """The h1, or (2026: no h1) the <title> less the site's name."""
    if doc.xpath("//h1"):
        return doc.xpath("string(//h1)").strip()
    return doc.xpath("string(//title)").removesuffix(" _ 东方财富网")


def test_article_pages_agree_with_truth_and_lists(site_root: Path, truth: dict) -> None:
    for a in truth["articles"]:
        for path in a["urls"][:-1]:  # the last one is the share link
            doc = _parse_page(site_root, path, a["encoding"] if path.startswith("/a/") else "utf-8")
            if a["broken"]:
                assert not doc.xpath("//h1") and not doc.xpath('//*[@id="ContentBody"]')
                continue
            assert _page_title(doc) == a["title"]
            assert bool(doc.xpath("//h1")) == (a["layout"] != "2026" or path.startswith("/news/"))
            # A long article's paragraphs run on over its continuation pages, in order.
            parts = [doc] + [_parse_page(site_root, p, "utf-8") for p in a["parts"]]
            body = "".join(d.xpath('string(//*[@id="ContentBody"])') for d in parts)
            assert all(p in body for p in a["paragraphs"])
            positions = [body.index(p) for p in a["paragraphs"]]
            assert positions == sorted(positions)
            page_time = doc.xpath(
                'string(//div[@class="infos"]/div[1][not(contains(., "来源"))]'
                ' | //div[@class="time"])'
            )
            if a["published"] is None:
                assert page_time == ""
                continue
            # "2022年12月31日 22:15" and "2022-12-31T22:15:00+08:00" say the same minute.
            p = a["published"]
            minute = f"{p[:4]}年{p[5:7]}月{p[8:10]}日 {p[11:16]}"
            iso = f"{p[:10]} {p[11:16]}:00"
            assert page_time == (
                iso if a["layout"] == "2026" and path.startswith("/a/") else minute
            )
            for x in a["listed"]:
                assert x["time"] in (minute, minute[5:])  # 2026 lists show the year


def test_year_boundary_list(site_root: Path, truth: dict) -> None:
    column = next(c for c in truth["columns"] if c["slug"] == "czpnc")
    doc = _parse_page(site_root, column["pages"][0], "utf-8")
    times = [t.strip() for t in doc.xpath('//p[@class="time"]/text()')]
    assert [t[:6] for t in times] == ["01月02日", "01月01日", "12月31日", "12月30日"]
    assert times[0] == "01月02日 08:00"
    by_time = {x["time"]: a for a in truth["articles"] for x in a["listed"]}
    assert [by_time[t]["published"][:4] for t in times] == ["2023", "2023", "2022", "2022"]


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("module", "spec"),
    [("tests.fixtures.site_spec", fixture_site_spec), ("finews.demo", demo_site_spec)],
)
def test_a_spec_builds_the_same_bytes_every_time(module, spec, tmp_path: Path) -> None:
    # One build here, one by the spec's command in another process with another hash seed
    # (set iteration order differs between them), and a rebuild over the first.
    here = tmp_path / "here"
    truth = build_site(spec(), here)
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    there = tmp_path / "there"
    result = subprocess.run(
        [sys.executable, "-m", module, str(there)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {there}: {len(truth['articles'])} articles\n"
    first = _tree_bytes(here)
    assert len(first) > 2 * len(truth["articles"]) and first == _tree_bytes(there)
    build_site(spec(), here)
    assert _tree_bytes(here) == first
    assert load_truth(here) == truth


def test_demo_site_is_built_in_a_temporary_folder_that_goes_away() -> None:
    with temporary_site(demo_site_spec()) as (root, truth):
        assert load_truth(root) == truth
        assert (root / "a" / f"{truth['articles'][0]['code']}.html").is_file()
    assert not root.exists()
    assert len(truth["articles"]) >= 20 and len(truth["columns"]) == 4
    assert [s["kind"] for s in truth["streams"]] == ["fastnews"]


def test_build_refuses_to_wipe_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        build_site(demo_site_spec(), tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"
