-- finews store, version 3: every article has its summary stored, so feeds and exports read
-- it rather than each cutting one from the body. Articles imported before this version
-- (media posts carried none) get what crawler.parsing.content.summarize computes: the
-- body's text on one line, cut at 120 characters with an ellipsis.
UPDATE articles
   SET summary = CASE
       WHEN length(replace(body_text, char(10), ' ')) <= 120
           THEN replace(body_text, char(10), ' ')
       ELSE rtrim(substr(replace(body_text, char(10), ' '), 1, 119)) || '…'
   END
 WHERE (summary IS NULL OR summary = '') AND body_text != '';
