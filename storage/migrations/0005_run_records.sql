-- finews store, version 5: crawl runs say who ran them and how they ended, and each listing
-- (a column, a news stream) remembers which articles a completed crawl paged past.
--
-- crawl_runs.status is running, finished, failed or interrupted. A run is written by the
-- process that crawls (pid on host); a later run marks a 'running' row whose process is gone
-- as 'interrupted'. started and finished are wall-clock times; clock is the crawl's fixed
-- clock (FINEWS_NOW) when one was given. new, updated and unchanged are counted in the same
-- transaction as the articles they count.
ALTER TABLE crawl_runs ADD COLUMN pid INTEGER;
ALTER TABLE crawl_runs ADD COLUMN host TEXT;
ALTER TABLE crawl_runs ADD COLUMN clock TEXT;
ALTER TABLE crawl_runs ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS crawl_runs_status ON crawl_runs (status);

-- An article listed on a page that a completed crawl of the listing paged past (it went on to
-- the next page, or that page was the listing's last). Paging stops at a page whose articles
-- are all stored and all covered here; anything less pages on (README, "Crawl").
CREATE TABLE IF NOT EXISTS listing_coverage (
    listing    TEXT NOT NULL,     -- the listing's key, e.g. column:cywjh
    article_id TEXT NOT NULL,
    run_id     INTEGER NOT NULL,  -- the crawl run that last covered it
    PRIMARY KEY (listing, article_id)
) WITHOUT ROWID;
