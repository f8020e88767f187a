"""How fast ``finews import jekyll`` reads an old site, against a raw-SQLite baseline.

Generates POSTS posts in a temporary folder (the formats of SOURCE.md §1 in the mix the old
repository has: rolling-news posts with media twins, media-only posts, old digest-only posts,
a few broken files), imports them into a fresh database through the CLI command, then times
the floor for the same work: reading every file and one ``executemany`` of the same rows into
a plain table. Run: ``python benchmarks/jekyll_import.py [POSTS]``. Not a test.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finews.cli.jekyll import export_group, import_group  # noqa: E402
from storage.slugs import slugify  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "jekyll"
MEDIA_NAMES = [
    "南昌日报",
    "券商中国",
    "财联社",
    "央视新闻客户端",
    "泉州晚报",
    "每日经济新闻",
    "上海证券报",
    "重庆日报",
    "中国银行保险报",
    "21世纪经济报道",
]
LINKS = "[返回{name}新闻](//finews.withounder.com/category/{slug}.html)｜[返回首页](//finews.withounder.com/)"
ROLLING_LINKS = (
    "[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)"
)


def _templates() -> tuple[str, str]:
    seed = (FIXTURES / "2022-02-07-NW202202072267575261.md").read_text("utf-8")
    media_body = seed.split("---\n", 2)[2].split("\n\n<http")[0]
    rolling = (FIXTURES / "2022-01-07-202201072239307540.md").read_text("utf-8")
    rolling_body = rolling.split("\n\n")[1]
    return media_body, rolling_body


def generate(folder: Path, total: int) -> list[tuple]:
    """Write ``total`` posts; return the rows an import should store (for the baseline)."""
    media_body, rolling_body = _templates()
    posts, old_post = folder / "_posts", folder / "old_post"
    posts.mkdir(parents=True)
    old_post.mkdir()
    rows = []
    written = 0
    n = 0
    while written < total:
        n += 1
        code = f"20220207{n:010d}"
        name = MEDIA_NAMES[n % len(MEDIA_NAMES)]
        slug = slugify(name)
        title = f"第{n}篇文章“标题”"
        date = f"2022-02-07 09:{n // 60 % 60:02d}:{n % 60:02d}"
        share = f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{code}"
        page = f"http://finance.eastmoney.com/news/1344,{code}.html"
        kind = n % 15
        target = old_post if n % 3 else posts
        if kind < 5 and total - written >= 2:  # a rolling post and its media twin
            _media(target, code, title, date + " +0800", slug, name, media_body, share)
            (target / f"2022-02-07-{code}.md").write_text(
                f'---\nlayout: post\ntitle: "{title}"\ndate: {date} +0800\ncategories: emnews\n'
                f"tags: 东财滚动新闻\n---\n> 摘要{n}\n\n{rolling_body}\n\n<{page}>\n\n"
                + ROLLING_LINKS,
                "utf-8",
            )
            written += 2
        elif kind < 12:  # media post only, current format
            _media(target, code, title, date + " +0800", slug, name, media_body, share)
            written += 1
        elif kind < 13:  # old media post: blank line first, no offset, two-line links
            text = _media_text(title, date, slug, name, media_body, share)
            (target / f"2022-02-07-NW{code}.md").write_text(
                "\n" + text.replace("｜[返回首页]", "\n[返回首页]"), "utf-8"
            )
            written += 1
        elif n % 150 != 149:  # old rolling post with a digest-only body
            (target / f"2022-02-07-{code}.md").write_text(
                f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\ncategories: emnews\n'
                f"tags: 东财滚动新闻\n---\n\n摘要{n}\n\n<{page}>\n\n"
                "[返回东财滚动新闻](../emnews/)\n[返回首页](../)",
                "utf-8",
            )
            written += 1
        else:  # the empty API record: unusable (1 in 150 of these slots)
            (target / f"-{code}.md").write_text(
                f'---\nlayout: post\ntitle: ""\ndate: {date}\ncategories: emnews\n---\n', "utf-8"
            )
            written += 1
            continue
        rows.append((f"NW{code}", title, page, share, name, date, media_body))
    return rows


def _media_text(title: str, date: str, slug: str, name: str, body: str, share: str) -> str:
    return (
        f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\ncategories: {slug}\n'
        f"tags: {name}新闻\n---\n{body}\n\n<{share}>\n\n" + LINKS.format(name=name, slug=slug)
    )


def _media(target: Path, code: str, *args: str) -> None:
    (target / f"2022-02-07-NW{code}.md").write_text(_media_text(*args), "utf-8")


def baseline(folder: Path, rows: list[tuple], db: Path) -> float:
    """Reading every file and one executemany of the finished rows: the floor."""
    started = time.perf_counter()
    for path in sorted(folder.rglob("*.md")):
        path.read_bytes()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, url TEXT, share_url TEXT,"
        " media TEXT, published TEXT, body_html TEXT)"
    )
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def main(total: int = 30_000) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "site"
        started = time.perf_counter()
        rows = generate(folder, total)
        print(
            f"generated {total} posts ({len(rows)} articles) in {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        result = CliRunner().invoke(
            import_group, ["jekyll", str(folder), "--db", str(Path(temp) / "finews.db")]
        )
        elapsed = time.perf_counter() - started
        if result.exit_code != 0:
            raise SystemExit(result.output)
        print(result.stdout.strip().splitlines()[-1])
        print(f"finews import jekyll: {elapsed:.2f} s, {total / elapsed:,.0f} posts/s")

        started = time.perf_counter()
        again = CliRunner().invoke(
            import_group, ["jekyll", str(folder), "--db", str(Path(temp) / "finews.db")]
        )
        print(f"second import (nothing changes): {time.perf_counter() - started:.2f} s")
        print(again.stdout.strip().splitlines()[-1])

        # Export too: the first run writes every file (one fsync each), the next none.
        for run in ("export", "re-export"):
            started = time.perf_counter()
            exported = CliRunner().invoke(
                export_group,
                ["jekyll", "--db", str(Path(temp) / "finews.db"), "--out", str(Path(temp) / "out")],
            )
            print(f"{run}: {time.perf_counter() - started:.2f} s; {exported.stdout.strip()}")

        floor = baseline(folder, rows, Path(temp) / "baseline.db")
        print(f"baseline (read files + raw executemany): {floor:.2f} s")
        print(f"ratio finews / baseline: {elapsed / floor:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
