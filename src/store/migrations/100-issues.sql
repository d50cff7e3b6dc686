-- Composing, typesetting, signing off, printing and publishing an issue (issues #6/#7).
-- Numbered from 100 so these never collide with the editorial core's 0xx migrations.
-- Never edit this file once landed; add a new numbered migration.

CREATE TABLE issues (
  id              INTEGER PRIMARY KEY,
  number          INTEGER NOT NULL,
  year            INTEGER NOT NULL,
  date            TEXT NOT NULL,                 -- ISO date of the issue
  print_run       INTEGER NOT NULL,
  layout          TEXT NOT NULL DEFAULT 'standard',
  trim_width_mm   REAL NOT NULL DEFAULT 190,
  trim_height_mm  REAL NOT NULL DEFAULT 270,
  bleed_mm        REAL NOT NULL DEFAULT 3,
  colours         TEXT,
  binding         TEXT,
  paper           TEXT,
  state           TEXT NOT NULL DEFAULT 'draft'
                  CHECK (state IN ('draft','typeset','signed_off','sent_to_print','published')),
  -- A signed-off issue is frozen; a later change makes a new version with the reason recorded.
  version         INTEGER NOT NULL DEFAULT 1,
  version_reason  TEXT,
  -- Bumped on every change of what would be typeset (plan, data); a rendition remembers the value it saw.
  plan_revision   INTEGER NOT NULL DEFAULT 1,
  signed_rendition_id INTEGER,                   -- set on sign-off (renditions references issues)
  signed_off_at   TEXT,
  signed_off_by   INTEGER REFERENCES users(id),
  created_by      INTEGER NOT NULL REFERENCES users(id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (year, number, version)
);

CREATE TABLE issue_sections (
  id          INTEGER PRIMARY KEY,
  issue_id    INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  section_id  INTEGER NOT NULL REFERENCES sections(id),
  position    INTEGER NOT NULL,
  UNIQUE (issue_id, section_id)
);

-- An article is placed in at most ONE issue.
CREATE TABLE placements (
  article_id        INTEGER PRIMARY KEY REFERENCES articles(id),
  issue_id          INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  issue_section_id  INTEGER NOT NULL REFERENCES issue_sections(id) ON DELETE CASCADE,
  position          INTEGER NOT NULL
);
CREATE INDEX placements_issue ON placements(issue_id, issue_section_id, position);

CREATE TABLE distribution_lines (
  id        INTEGER PRIMARY KEY,
  issue_id  INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  unit_id   INTEGER REFERENCES units(id),
  unit_name TEXT NOT NULL,                       -- the unit's name of the day, kept when units merge
  copies    INTEGER NOT NULL,
  position  INTEGER NOT NULL
);
CREATE INDEX distribution_issue ON distribution_lines(issue_id, position);

-- Typeset jobs. lease_until/heartbeat_at/worker let a separate worker process claim jobs later.
CREATE TABLE jobs (
  id             INTEGER PRIMARY KEY,
  issue_id       INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL DEFAULT 'typeset',
  state          TEXT NOT NULL CHECK (state IN ('queued','running','done','failed','cancelled')),
  progress       INTEGER NOT NULL DEFAULT 0,     -- percent
  stage          TEXT,
  message        TEXT,
  error          TEXT,
  options        TEXT,                           -- JSON
  attempts       INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  worker         TEXT,
  lease_until    TEXT,
  heartbeat_at   TEXT,
  rendition_id   INTEGER,
  requested_by   INTEGER REFERENCES users(id),
  created_at     TEXT NOT NULL,
  started_at     TEXT,
  finished_at    TEXT
);
CREATE INDEX jobs_state ON jobs(state, id);
CREATE INDEX jobs_issue ON jobs(issue_id, id DESC);

-- One successful job's set of files: <dataDir>/renditions/<issueId>/<jobId>/.
CREATE TABLE renditions (
  id              INTEGER PRIMARY KEY,
  issue_id        INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  job_id          INTEGER REFERENCES jobs(id),
  dir             TEXT NOT NULL,                 -- relative to the data dir
  pages           INTEGER NOT NULL,
  plan_revision   INTEGER NOT NULL,
  preflight_errors   INTEGER NOT NULL DEFAULT 0,
  preflight_warnings INTEGER NOT NULL DEFAULT 0,
  findings        TEXT NOT NULL DEFAULT '[]',    -- JSON Finding[]
  toc             TEXT NOT NULL DEFAULT '[]',    -- JSON [{title, section, page}]
  signed          INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL
);
CREATE INDEX renditions_issue ON renditions(issue_id, id DESC);

CREATE TABLE rendition_files (
  rendition_id  INTEGER NOT NULL REFERENCES renditions(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  sha256        TEXT NOT NULL,
  pages         INTEGER,
  PRIMARY KEY (rendition_id, name)
);

CREATE TABLE print_deliveries (
  issue_id     INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  sent_at      TEXT NOT NULL,
  sent_by      INTEGER REFERENCES users(id),
  received_at  TEXT,
  PRIMARY KEY (issue_id, user_id)
);

CREATE TABLE publications (
  issue_id      INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
  visibility    TEXT NOT NULL CHECK (visibility IN ('all','units')),
  published_at  TEXT NOT NULL,
  published_by  INTEGER REFERENCES users(id)
);

CREATE TABLE publication_units (
  issue_id  INTEGER NOT NULL REFERENCES publications(issue_id) ON DELETE CASCADE,
  unit_id   INTEGER NOT NULL REFERENCES units(id),
  PRIMARY KEY (issue_id, unit_id)
);

-- Tokens are never stored, only their sha256.
CREATE TABLE download_links (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  expires_at  TEXT NOT NULL,
  revoked_at  TEXT,
  created_by  INTEGER REFERENCES users(id),
  created_at  TEXT NOT NULL
);

CREATE TABLE downloads (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  issue_id      INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  rendition_id  INTEGER NOT NULL,
  file          TEXT NOT NULL,
  user_id       INTEGER REFERENCES users(id),
  link_id       INTEGER REFERENCES download_links(id),
  unit_id       INTEGER REFERENCES units(id),
  status        INTEGER NOT NULL,
  bytes         INTEGER NOT NULL
);
CREATE INDEX downloads_issue ON downloads(issue_id, at);
CREATE INDEX downloads_unit ON downloads(unit_id, at);
