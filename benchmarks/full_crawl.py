"""One finews crawl, exactly as ``finews crawl`` runs it (``finews.runner.run_crawl``).

``python -m benchmarks.full_crawl --db DB --depth P [-s NAME=VALUE]... URL...`` prints one
JSON line: seconds (from ``run_crawl``'s call to its return), articles stored, requests,
peak RSS. Run in a subprocess: Twisted's reactor starts once per process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchmarks.memory import peak_rss_mb
from finews.runner import run_crawl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.full_crawl")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--db", required=True)
    parser.add_argument("--depth", type=int, required=True)
    parser.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args(argv)
    overrides = dict(pair.split("=", 1) for pair in args.settings)
    started = time.monotonic()
    summary = run_crawl(args.urls, args.db, args.depth, overrides)
    result = {
        "seconds": time.monotonic() - started,
        "articles": summary.new + summary.updated + summary.unchanged,
        "new": summary.new,
        "skipped": summary.skipped,
        "failed_pages": summary.failed_pages,
        "requests": summary.requests,
        "ok": summary.ok,
        "maxrss_mb": peak_rss_mb(),
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
