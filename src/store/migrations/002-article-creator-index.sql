-- Contributors' scope is "my unit's articles OR the ones I wrote": index the second half so a scoped
-- search starts from the small scope instead of every full-text hit (bench/web-queue.ts).
CREATE INDEX articles_created_by ON articles(created_by, id DESC);
