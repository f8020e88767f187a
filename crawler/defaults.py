"""finews's defaults: read from ``defaults.toml``, the one file that holds them.

The Scrapy settings, ``finews.toml`` (which overrides them) and the command line's help all
read them here, so a default is changed in one place.
"""

from __future__ import annotations

import copy
import functools
import tomllib
from importlib import resources
from typing import Any


@functools.cache
def _load() -> dict[str, dict[str, Any]]:
    return tomllib.loads(resources.files("crawler").joinpath("defaults.toml").read_text("utf-8"))


def defaults() -> dict[str, dict[str, Any]]:
    """A fresh copy of the shipped defaults, section by section (``crawl``, ``feeds``)."""
    return copy.deepcopy(_load())


def default(section: str, key: str) -> Any:
    """One default value, e.g. ``default("crawl", "depth")``."""
    return copy.deepcopy(_load()[section][key])
