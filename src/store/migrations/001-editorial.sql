-- Editorial office core (issue #5): units, people, sessions, sections, bulletin profile, articles and
-- everything around reviewing them. Never edit this file once landed; add a new numbered migration.

CREATE TABLE units (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL,
  parent_id    INTEGER REFERENCES units(id),
  valid_from   TEXT NOT NULL,           -- ISO date
  valid_to     TEXT,                    -- ISO date; NULL while the unit exists
  replaced_by  INTEGER REFERENCES units(id),
  created_at   TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

-- Which units were merged into which (a unit may absorb several).
CREATE TABLE unit_merges (
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  merged_from  INTEGER NOT NULL REFERENCES units(id),
  merged_at    TEXT NOT NULL,
  PRIMARY KEY (unit_id, merged_from)
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin','editor_in_chief','editor','contributor','print_shop','reader')),
  unit_id        INTEGER REFERENCES units(id),
  display_name   TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

-- Tokens are never stored, only their sha256; one table for Bearer tokens and browser cookies.
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('api','browser')),
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  ip           TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE sections (
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL UNIQUE,
  position    INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);

-- The bulletin profile is a single row holding a validated JSON document.
CREATE TABLE bulletin_profile (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  data        TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  INTEGER REFERENCES users(id)
);

CREATE TABLE articles (
  id              INTEGER PRIMARY KEY,
  title           TEXT NOT NULL,
  subtitle        TEXT,
  lead            TEXT,
  body_html       TEXT NOT NULL,
  author          TEXT,
  unit_id         INTEGER REFERENCES units(id),
  origin_unit_id  INTEGER REFERENCES units(id),   -- the unit that sent it; kept when units merge
  section_id      INTEGER REFERENCES sections(id),
  state           TEXT NOT NULL CHECK (state IN ('submitted','in_review','approved','returned','rejected','scheduled','published')),
  version         INTEGER NOT NULL DEFAULT 1,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  assigned_to     INTEGER REFERENCES users(id),
  due_date        TEXT,
  state_reason    TEXT,                           -- the reason given with the last return / rejection
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  submitted_at    TEXT NOT NULL
);
CREATE INDEX articles_state_updated ON articles(state, updated_at DESC, id DESC);
CREATE INDEX articles_unit_updated ON articles(unit_id, updated_at DESC, id DESC);
CREATE INDEX articles_section ON articles(section_id);
CREATE INDEX articles_assigned ON articles(assigned_to, due_date);
CREATE INDEX articles_updated ON articles(updated_at DESC, id DESC);

-- Every save is a full snapshot: any two can be compared.
CREATE TABLE article_revisions (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  kind        TEXT NOT NULL,                      -- submit | save | kept_draft
  title       TEXT NOT NULL,
  subtitle    TEXT,
  lead        TEXT,
  body_html   TEXT NOT NULL,
  author      TEXT,
  section_id  INTEGER,
  created_by  INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions(article_id, id);

CREATE TABLE comments (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX comments_article ON comments(article_id, id);

-- Soft lock: who is editing, until when, and their latest unsaved draft (kept if someone takes over).
CREATE TABLE article_locks (
  article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  taken_at    TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  draft       TEXT                                -- JSON {title?, lead?, bodyHtml?...} or NULL
);

CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_id     INTEGER REFERENCES users(id),
  action       TEXT NOT NULL,
  target_type  TEXT,
  target_id    TEXT,
  details      TEXT,                              -- JSON
  ip           TEXT
);
CREATE INDEX audit_log_at ON audit_log(at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id);

CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  article_id  INTEGER REFERENCES articles(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL,                      -- Vietnamese, shown in the app
  created_at  TEXT NOT NULL,
  read_at     TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id DESC);

-- Search index over a diacritic-folded copy (foldForSearch: đ → d, which unicode61 alone does not do).
-- rowid = articles.id; maintained by the article repository in the same transaction as the article.
CREATE VIRTUAL TABLE article_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
