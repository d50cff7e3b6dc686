-- A contributor's search looks at the newest 1,000 full-text hits and keeps those of their unit (or their
-- own). Checking a hit against the article row reads the whole row (body included); this index holds just
-- what the check needs, so the 1,000 checks stay in a small index and only the page's rows are read
-- (1.7 → 0.7 ms per search at 50,000 articles, bench/web-queue.ts).
CREATE INDEX articles_scope_lookup ON articles(id, unit_id, created_by);
