-- Picture store (issue #5): article photos are files in <data dir>/media named by their sha256, recorded
-- here once, and referenced from article HTML as /media/<sha256>.jpg|png instead of data: URIs.
-- Never edit this file once landed; add a new numbered migration (editorial core range 004–009).

CREATE TABLE pictures (
  sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  mime        TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Everyone who uploaded the same bytes (created_by above is only the first): an uploader may see and use
-- the picture before any saved article does, e.g. in the editor right after uploading it.
CREATE TABLE picture_uploads (
  sha256       TEXT NOT NULL REFERENCES pictures(sha256),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  uploaded_at  TEXT NOT NULL,
  PRIMARY KEY (sha256, user_id)
) WITHOUT ROWID;

-- Which articles use which pictures, in any of their revisions: links are added on every save and never
-- removed, so an old revision shown in "compare" still shows its photos to whoever may read the article.
CREATE TABLE article_pictures (
  article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  sha256      TEXT NOT NULL REFERENCES pictures(sha256),
  PRIMARY KEY (article_id, sha256)
) WITHOUT ROWID;
-- Access checks start from the picture: "is any article using it visible to this person?"
CREATE INDEX article_pictures_sha256 ON article_pictures(sha256, article_id);
