-- finews store, version 1. Times are text, ISO 8601 with the +08:00 offset.
CREATE TABLE IF NOT EXISTS articles (
    id           TEXT PRIMARY KEY,     -- infoCode: NW + 18 digits
    title        TEXT NOT NULL,
    url          TEXT,                 -- the article page
    share_url    TEXT,                 -- the share link, when one was seen
    media        TEXT,                 -- media name (来源)
    published    TEXT NOT NULL,        -- YYYY-MM-DDTHH:MM:SS+08:00; first_seen when unknown
    summary      TEXT,
    body_html    TEXT NOT NULL DEFAULT '',
    body_text    TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    updated      TEXT                  -- when the content last changed; NULL if never
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published DESC, id DESC);

CREATE TABLE IF NOT EXISTS categories (
    slug     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('media', 'column')),
    revision INTEGER NOT NULL DEFAULT 0  -- bumped on every change to the category's articles
);

-- published is copied from articles so that "newest N of a category" reads an index only.
CREATE TABLE IF NOT EXISTS article_categories (
    article_id TEXT NOT NULL,
    category   TEXT NOT NULL REFERENCES categories (slug),
    published  TEXT NOT NULL,
    PRIMARY KEY (article_id, category)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_categories_newest
    ON article_categories (category, published DESC, article_id DESC);

CREATE TABLE IF NOT EXISTS article_revisions (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    media        TEXT,
    published    TEXT NOT NULL,
    summary      TEXT,
    body_html    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    replaced     TEXT NOT NULL         -- when this version stopped being current
);
CREATE INDEX IF NOT EXISTS article_revisions_article ON article_revisions (article_id, id);

CREATE TABLE IF NOT EXISTS crawl_runs (
    id         INTEGER PRIMARY KEY,
    started    TEXT NOT NULL,
    finished   TEXT,
    status     TEXT NOT NULL DEFAULT 'running',  -- running, finished, failed
    new        INTEGER NOT NULL DEFAULT 0,
    updated    INTEGER NOT NULL DEFAULT 0,
    unchanged  INTEGER NOT NULL DEFAULT 0,
    skipped    INTEGER NOT NULL DEFAULT 0,
    failed     INTEGER NOT NULL DEFAULT 0,
    bad_dates  INTEGER NOT NULL DEFAULT 0,
    errors     TEXT NOT NULL DEFAULT '[]'        -- JSON list of messages
);
