"""The exit codes of every finews command, one table for all of them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a finished command's exit status means.

    When several apply, the most severe wins:
    INTERRUPTED > NOTHING_DONE > SHAPE_MISS > PAGES_FAILED > OK.
    """

    OK = 0  # success
    PAGES_FAILED = 1  # the run finished; some pages failed (listed)
    USAGE = 2  # bad option, config file, -s value or URL: nothing was done
    NOTHING_DONE = 3  # nothing could be crawled or stored (store failed; every page failed)
    SHAPE_MISS = 4  # a known kind of page stopped matching: the site changed
    LOCKED = 75  # another run holds the database's lock (EX_TEMPFAIL)
    INTERRUPTED = 130  # stopped by SIGINT or SIGTERM
