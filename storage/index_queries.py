"""Read queries for the front page: the day the store's news ends, and articles per day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from storage.store import Store


def newest_day(store: Store) -> date | None:
    """The day (China time) of the newest article; None for an empty store."""
    row = store.conn.execute("SELECT max(published) FROM articles").fetchone()  # an index
    return date.fromisoformat(row[0][:10]) if row and row[0] else None


def articles_per_day(store: Store, last_day: date, days: int) -> dict[str, tuple[int, ...]]:
    """For each category, its articles on each of the ``days`` days ending at ``last_day``,
    oldest first. Read from the (category, published) index: the window's entries only."""
    first_day = last_day - timedelta(days=days - 1)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    cursor = store.conn.execute(
        "SELECT c.slug, substr(ac.published, 1, 10), count(*) FROM categories AS c"
        " JOIN article_categories AS ac ON ac.category = c.slug"
        " AND ac.published >= :first AND ac.published < :after"
        " GROUP BY c.slug, substr(ac.published, 1, 10)",
        {"first": first_day.isoformat(), "after": (last_day + timedelta(days=1)).isoformat()},
    )
    for slug, day, count in cursor:
        counts[slug][(date.fromisoformat(day) - first_day).days] = count
    return {slug: tuple(values) for slug, values in counts.items()}
