-- Publishing lane, session 2 (issues #5/#7): e-mail addresses of users, the outgoing mail queue, and
-- per-user Atom feed tokens. Numbered from 300 so these never collide with other lanes' migrations.
-- Never edit this file once landed; add a new numbered migration.

-- Kept beside users (not a column of it) so the editorial core's table and its repository stay as they are.
CREATE TABLE user_emails (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  email       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Outgoing e-mail, written in the same transaction as what it tells about and delivered in the background
-- (a mail server that is down never blocks or fails a request). pending → sent | failed.
CREATE TABLE mail_outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,             -- issue.published, article.returned, ...
  user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  to_address       TEXT NOT NULL,
  subject          TEXT NOT NULL,
  text_body        TEXT NOT NULL,
  html_body        TEXT,
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  next_attempt_at  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  sent_at          TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);

-- A reader's feed address carries this token (only its sha256 is stored); revoking it, or making a new one,
-- ends the old address. It is never a session token.
CREATE TABLE feed_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE INDEX feed_tokens_user ON feed_tokens(user_id, revoked_at);
