"""Exit codes: one table for every finews command (README, "When things go wrong").

A cron job reads only the exit code, so each code names one situation, and when several
apply the most severe wins (:func:`most_severe`).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # success
    PAGES_FAILED = 1  # the run finished; some pages failed (listed)
    USAGE = 2  # bad option, config file, -s value or URL: nothing was done
    NOTHING_DONE = 3  # nothing could be crawled or stored (store failed; every page failed)
    SHAPE_MISS = 4  # a known kind of page stopped matching: the site changed
    LOCKED = 75  # another run holds the database's lock (EX_TEMPFAIL)
    INTERRUPTED = 130  # stopped by SIGINT or SIGTERM


# Most severe first. USAGE and LOCKED end a command before it does anything, so they never
# meet another code.
SEVERITY = (
    ExitCode.INTERRUPTED,
    ExitCode.NOTHING_DONE,
    ExitCode.SHAPE_MISS,
    ExitCode.PAGES_FAILED,
    ExitCode.OK,
)


def most_severe(*codes: ExitCode) -> ExitCode:
    """The code to exit with when several apply: INTERRUPTED > NOTHING_DONE > SHAPE_MISS >
    PAGES_FAILED > OK (USAGE and LOCKED rank above all: they stop a command at once)."""
    rank = {code: index for index, code in enumerate((ExitCode.USAGE, ExitCode.LOCKED, *SEVERITY))}
    return min(codes, key=rank.__getitem__, default=ExitCode.OK)
