-- finews store, version 6: full-text search (storage/search.py writes the tokens) and
-- views for common questions. After this script, Store.migrate fills the index from the
-- stored articles (storage.search.rebuild).

-- Tokens only (content=''): the article rows stay the one copy of the text. Each column holds
-- the tokens of articles.title, summary and body_text as storage.search.index_text makes them.
CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5 (
    title, summary, body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- rank is bm25 with a title word counting five times a body word, a summary word twice.
INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(5.0, 2.0, 1.0)');

-- Which article each row of article_search is (an INTEGER PRIMARY KEY: VACUUM keeps it),
-- and its time, so that matches sort by time without reading the articles.
CREATE TABLE IF NOT EXISTS article_search_rows (
    search_rowid INTEGER PRIMARY KEY,     -- = article_search.rowid
    article_id   TEXT NOT NULL UNIQUE,    -- = articles.id
    published    TEXT NOT NULL            -- = articles.published
);

-- The newest articles with their categories (a JSON list); Datasette searches here.
CREATE VIEW IF NOT EXISTS newest AS
SELECT a.published, a.title, a.media,
       (SELECT json_group_array(category) FROM (
            SELECT category FROM article_categories WHERE article_id = a.id ORDER BY category
       )) AS categories,
       a.url, a.id, r.search_rowid
  FROM articles AS a
  JOIN article_search_rows AS r ON r.article_id = a.id
 ORDER BY a.published DESC, a.id DESC;

-- Articles per media per day (China time).
CREATE VIEW IF NOT EXISTS per_media_day AS
SELECT substr(published, 1, 10) AS day, media, count(*) AS articles
  FROM articles
 GROUP BY day, media
 ORDER BY day DESC, articles DESC, media;

-- Articles that reached finews by more than one way and were kept as one: both as an
-- article page and as a share link, or on more than one column list.
CREATE VIEW IF NOT EXISTS merged AS
SELECT id, published, title, url, share_url, columns
  FROM (
    SELECT a.id, a.published, a.title, a.url, a.share_url,
           (SELECT json_group_array(ac.category)
              FROM article_categories AS ac JOIN categories AS c ON c.slug = ac.category
             WHERE ac.article_id = a.id AND c.kind = 'column') AS columns
      FROM articles AS a
  )
 WHERE (url IS NOT NULL AND share_url IS NOT NULL) OR json_array_length(columns) > 1
 ORDER BY published DESC, id DESC;

-- Articles whose content changed after they were first stored.
CREATE VIEW IF NOT EXISTS revised AS
SELECT a.id, a.published, a.title, count(v.id) AS revisions, a.updated AS last_change
  FROM articles AS a
  JOIN article_revisions AS v ON v.article_id = a.id
 GROUP BY a.id
 ORDER BY last_change DESC, a.id DESC;
