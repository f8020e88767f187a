-- finews store, version 2: a category's history (for archive pages) read from one index.
-- content_hash is copied from articles, as published is, so that listing a category's
-- articles with their versions never reads the articles table.
ALTER TABLE article_categories ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
UPDATE article_categories
   SET content_hash = (SELECT content_hash FROM articles WHERE id = article_id);
CREATE INDEX IF NOT EXISTS article_categories_history
    ON article_categories (category, published, article_id, content_hash);
-- It serves "newest N of a category" too (read backwards), so the first index goes.
DROP INDEX IF EXISTS article_categories_newest;
