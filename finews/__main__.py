"""``python -m finews`` is the ``finews`` command."""

from finews.cli import main

main()
