"""finews.toml: defaults shipped with the package, overridden by the user's file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.defaults import defaults
from crawler.parsing.urls import UnknownPageError, classify
from storage.search import QueryError, compile_query
from storage.slugs import is_safe_slug

DEFAULT_CONFIG_NAME = "finews.toml"


class ConfigError(ValueError):
    """The config file is unreadable or holds a wrong value; the message says which."""


@dataclass(frozen=True)
class Config:
    db: str
    depth: int
    start_urls: tuple[str, ...]
    out: str
    base_url: str
    limit: int
    source: str  # where the values came from, for messages
    # Column API ids and the names of their categories ([columns]).
    column_names: dict[str, str] = field(default_factory=dict)
    searches: tuple[tuple[str, str], ...] = ()  # (name, query) of each saved search


def load_config(path: str | Path | None = None) -> Config:
    """Read ``path`` (or ./finews.toml when present) over the shipped defaults."""
    data = defaults()
    source = "built-in defaults"
    candidate = Path(path) if path else Path(DEFAULT_CONFIG_NAME)
    if path or candidate.exists():
        try:
            user = tomllib.loads(candidate.read_text("utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {candidate} does not exist") from exc
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {candidate}: {exc}") from exc
        for section, values in user.items():
            if section not in data or not isinstance(values, dict):
                known = ", ".join(data)
                raise ConfigError(f"{candidate}: unknown section [{section}] (known: {known})")
            for key in values:
                if key not in data[section] and section not in ("columns", "searches"):
                    raise ConfigError(f"{candidate}: unknown setting {section}.{key}")
            data[section].update(values)
        source = str(candidate)
    crawl, feeds = data["crawl"], data["feeds"]
    config = Config(
        db=_typed(crawl, "db", str, source, "crawl"),
        depth=_typed(crawl, "depth", int, source, "crawl"),
        start_urls=tuple(_typed(crawl, "start_urls", list, source, "crawl")),
        out=_typed(feeds, "out", str, source, "feeds"),
        base_url=_typed(feeds, "base_url", str, source, "feeds"),
        limit=_typed(feeds, "limit", int, source, "feeds"),
        source=source,
        column_names=_column_names(data["columns"], source),
        searches=_searches(data.get("searches", {}), source),
    )
    if config.depth < 1 or config.limit < 1:
        raise ConfigError(f"{source}: crawl.depth and feeds.limit must be at least 1")
    for url in config.start_urls:
        if not isinstance(url, str):
            raise ConfigError(f"{source}: crawl.start_urls must hold strings, not {url!r}")
        try:
            classify(url)
        except UnknownPageError as exc:
            raise ConfigError(f"{source}: crawl.start_urls: {exc}") from exc
    return config


def _typed(section: dict[str, Any], key: str, kind: type, source: str, name: str) -> Any:
    value = section[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{source}: {name}.{key} must be a {kind.__name__}, not {value!r}")
    return value


def _column_names(section: dict[str, Any], source: str) -> dict[str, str]:
    for key, value in section.items():
        if not key.isascii() or not key.isdigit():
            raise ConfigError(f"{source}: columns.{key}: a column API id is a number")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{source}: columns.{key} must be a name, not {value!r}")
    return {key: value.strip() for key, value in section.items()}


def _searches(section: dict[str, Any], source: str) -> tuple[tuple[str, str], ...]:
    """``[searches]``: each name a safe file name, each query one ``finews search`` reads."""
    found = []
    for name, query in section.items():
        if not is_safe_slug(name):
            raise ConfigError(
                f"{source}: searches.{name}: a search's name must be a file name of a-z, 0-9"
                " and - (it names search/<name>.xml)"
            )
        _typed(section, name, str, source, "searches")
        try:
            compile_query(query)
        except QueryError as exc:
            raise ConfigError(f"{source}: searches.{name}: {exc}") from exc
        found.append((name, query))
    return tuple(found)
