-- Search-as-you-type matches the last word as a prefix. Without a prefix index FTS5 merges the doclists of
-- every term starting with it (30+ ms for "b*" at 50,000 articles); with one it reads a single list.
-- The index holds the already folded text, so it can be copied over without re-folding in JS.
CREATE VIRTUAL TABLE article_search_new USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
INSERT INTO article_search_new (rowid, title, body) SELECT rowid, title, body FROM article_search;
DROP TABLE article_search;
ALTER TABLE article_search_new RENAME TO article_search;
