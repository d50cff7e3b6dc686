-- A contributor's search is restricted to their unit (and merged-in units) or what they wrote. Checking that
-- against the articles table cost a lookup per hit (2.0 ms of server CPU per search at 50,000 articles, the
-- only search over the 50 ms p95 target). The search index now carries the scope as tokens in its own column,
-- `u<unit_id>` and `p<created_by>`, so FTS5 intersects the words with `scope : ("u1" OR "p3")` in rowid order and
-- stops after one page: no table is read until the page's rows (bench/web-queue.ts, bench/RESULTS-web.md).
-- The words are matched in {title body} only, so a search for "u1" never matches the scope column.
-- The same token expression is written by ArticleRepository.index() (src/store/article-repository.ts).
-- Prefix lengths 2-7: a folded Vietnamese syllable has at most 7 letters (nghieng, truong), so the word being
-- typed always reads one prefix doclist. With only 2-4, a prefix like "tuong*" merged the doclists of every
-- matching term up front: p95 4 ms instead of 1 ms per search, for 7% more index (80 → 85 MB at 50,000 articles).
CREATE VIRTUAL TABLE article_search_new USING fts5(title, body, scope, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7');
INSERT INTO article_search_new (rowid, title, body, scope)
  SELECT s.rowid, s.title, s.body, 'p' || a.created_by || coalesce(' u' || a.unit_id, '')
  FROM article_search s JOIN articles a ON a.id = s.rowid;
DROP TABLE article_search;
ALTER TABLE article_search_new RENAME TO article_search;

-- A unit merged into another moves its articles (UPDATE articles SET unit_id); the scope tokens follow here,
-- whatever code path changes the unit, so the index cannot disagree with the table.
CREATE TRIGGER articles_search_scope AFTER UPDATE OF unit_id ON articles WHEN OLD.unit_id IS NOT NEW.unit_id
BEGIN
  UPDATE article_search SET scope = 'p' || NEW.created_by || coalesce(' u' || NEW.unit_id, '') WHERE rowid = NEW.id;
END;

-- Migration 006's lookup index served the per-hit check that the scope column replaces.
DROP INDEX articles_scope_lookup;
