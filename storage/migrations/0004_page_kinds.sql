-- finews store, version 4: what each crawl read per kind of page, so that a page kind that
-- stops matching (the site changed) is seen and published (health.atom).
-- shape_misses: pages of a known kind that yielded nothing they should, in all.
-- page_kinds: a JSON object, kind -> {"pages", "matched", "misses", "articles",
-- "bad_dates", "sample"}; kinds are list, article, api, fastnews, kuaixun, colapi.
ALTER TABLE crawl_runs ADD COLUMN shape_misses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN page_kinds TEXT NOT NULL DEFAULT '{}';
