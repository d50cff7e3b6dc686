-- Publishing lane, session 4 (issue #7): which reader was told about which issue (in the app and, with an
-- address, by e-mail), so publishing again — to more units, or the same units — tells only readers not told
-- before, and a reissue (a new version of the same number) can tell earlier readers it is a corrected one.
-- Never edit this file once landed; add a new numbered migration.
CREATE TABLE issue_reader_notices (
  issue_id     INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  notified_at  TEXT NOT NULL,
  PRIMARY KEY (issue_id, user_id)
) WITHOUT ROWID;
CREATE INDEX issue_reader_notices_user ON issue_reader_notices(user_id);

-- Readers told before this table existed: their in-app notice carries the issue's number and month in the
-- exact words of issuePublishedNotice ("… số 11 – Tháng 11/2026 đã phát hành."); the first version of that
-- number is the one they were told about (a reissue was never announced separately before).
INSERT OR IGNORE INTO issue_reader_notices (issue_id, user_id, notified_at)
SELECT i.id, n.user_id, MIN(n.created_at)
FROM notifications n
JOIN issues i ON n.message LIKE '% số ' || i.number || ' – Tháng ' || CAST(substr(i.date, 6, 2) AS INTEGER) || '/' || substr(i.date, 1, 4) || ' đã phát hành.'
WHERE n.kind = 'issue.published'
  AND i.state = 'published'
  AND i.version = (SELECT MIN(v.version) FROM issues v WHERE v.year = i.year AND v.number = i.number AND v.state = 'published')
GROUP BY i.id, n.user_id;
