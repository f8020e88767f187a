"""``python -m crawler`` is ``finews``."""

from crawler.cli import main

main()
