-- A search with a state filter ("approved articles about X") kept only one FTS hit in seven or so: every other
-- hit cost a read of the article row just to see its state, and a contributor's search with a state filter was
-- the slowest API request at 50,000 articles (bench/web-queue.ts). The scope column now also carries the
-- article's state as one token, `s<state without underscores>` (ssubmitted, sinreview, sapproved, ...), so FTS5
-- intersects the words, the unit/creator and the state before any row is read (bench/RESULTS-web.md).
-- The same token expression is written by ArticleRepository.index() (src/store/article-repository.ts).
-- Rebuilt into a new table as 007 did: one pass of inserts, no delete markers left to merge. The trigger that
-- writes the scope goes first (a table it names cannot be renamed under it) and comes back below.
DROP TRIGGER articles_search_scope;
CREATE VIRTUAL TABLE article_search_new USING fts5(title, body, scope, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7');
INSERT INTO article_search_new (rowid, title, body, scope)
  SELECT s.rowid, s.title, s.body, 'p' || a.created_by || coalesce(' u' || a.unit_id, '') || ' s' || replace(a.state, '_', '')
  FROM article_search s JOIN articles a ON a.id = s.rowid;
DROP TABLE article_search;
ALTER TABLE article_search_new RENAME TO article_search;
-- One bulk insert leaves FTS5 with many index segments; merging them once makes every later search cheaper
-- (a contributor's search with a state filter: 0.86 -> 0.53 ms CPU at 50,000 articles, for ~1 s of merging).
INSERT INTO article_search (article_search) VALUES ('optimize');

-- Unit merges (007) and now every state change rewrite the scope tokens, whatever code path changes the row.
CREATE TRIGGER articles_search_scope AFTER UPDATE OF unit_id, state ON articles
  WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.state IS NOT NEW.state
BEGIN
  UPDATE article_search SET scope = 'p' || NEW.created_by || coalesce(' u' || NEW.unit_id, '') || ' s' || replace(NEW.state, '_', '') WHERE rowid = NEW.id;
END;
