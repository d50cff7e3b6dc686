-- Publishing channels to the provincial portal (issue #7): settings per channel kind (secrets stay here,
-- server-side only) and one delivery row per issue and channel (status, attempts, remote ids).
-- Numbered from 200 so these never collide with the 0xx / 1xx migrations. Never edit once landed.

CREATE TABLE publish_channels (
  kind        TEXT PRIMARY KEY CHECK (kind IN ('package','wordpress','nukeviet','webhook')),
  enabled     INTEGER NOT NULL DEFAULT 1,
  config      TEXT NOT NULL DEFAULT '{}',     -- JSON, non-secret settings (base URL, user name, module…)
  secret      TEXT,                           -- application password / API secret / HMAC key; never sent back
  updated_by  INTEGER REFERENCES users(id),
  updated_at  TEXT NOT NULL
);

CREATE TABLE publish_deliveries (
  issue_id     INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('pending','ok','failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,     -- attempts of the latest run
  last_error   TEXT,
  remote_id    TEXT,
  remote_url   TEXT,
  -- JSON object of every id the remote gave us (post, media…), reused so a re-publish updates.
  remote_ids   TEXT NOT NULL DEFAULT '{}',
  requested_at TEXT NOT NULL,
  finished_at  TEXT,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (issue_id, kind)
);
