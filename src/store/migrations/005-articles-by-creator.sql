-- "My articles" (GET /api/v1/articles?mine=1, the "Bài của tôi" screen) lists one person's articles newest
-- activity first. An editor who files for many units can have tens of thousands: without this index SQLite
-- sorts them all for each page (250 ms at 47,000 articles, bench/web-queue.ts); with it, it reads one page.
CREATE INDEX articles_creator_updated ON articles(created_by, updated_at DESC, id DESC);
