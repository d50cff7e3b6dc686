-- Render cache (issue #6): a rendition remembers the hash of everything that went into it (the exported
-- issue files, layout, fonts, engine, options, build date), so a typeset whose inputs did not change
-- reuses the files instead of rendering again. Never edit this file once landed.
ALTER TABLE renditions ADD COLUMN input_hash TEXT;
CREATE INDEX renditions_input_hash ON renditions(issue_id, input_hash);
