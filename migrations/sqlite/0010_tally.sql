-- The dashboard's per-status counts, kept as they change instead of counted per request.
--
-- `invitation_tally` holds, per division (0 for none) and inviter, how many codes are in each
-- kind: 0 used, 1 revoked, 2 expired (open, and flagged by the expiry sweep), 3 open,
-- 4 open and reported by the recipient. Triggers keep it in the writing transaction, so no
-- write path can forget it. Time moves codes from open to expired without a write: the sweep
-- flags them (`expiry_counted`) in batches, and a read adds what it has not flagged yet (and
-- takes back what a clock behind the sweep's does not see as expired), both through small
-- partial indexes. Suspended for a lost inviter is decided at read time, per inviter.
ALTER TABLE invitations ADD COLUMN expiry_counted INTEGER NOT NULL DEFAULT 0;
UPDATE invitations SET expiry_counted = 1
WHERE used_at IS NULL AND revoked_at IS NULL
  AND expires_at <= CAST(strftime('%s', 'now') AS INTEGER) * 1000;

-- The grouped scan these counts replace was the only reader of this wide index; every insert
-- paid for it.
DROP INDEX invitations_division_creator_state;

CREATE INDEX invitations_expiry_uncounted ON invitations(expires_at)
    WHERE expiry_counted = 0 AND used_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_expiry_counted ON invitations(expires_at)
    WHERE expiry_counted = 1 AND used_at IS NULL AND revoked_at IS NULL;

CREATE TABLE invitation_tally (
    division_id  INTEGER NOT NULL,
    created_by   INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (division_id, created_by, kind)
) WITHOUT ROWID;

INSERT INTO invitation_tally (division_id, created_by, kind, n)
SELECT COALESCE(division_id, 0), created_by,
       CASE WHEN used_at IS NOT NULL THEN 0 WHEN revoked_at IS NOT NULL THEN 1
            WHEN expiry_counted <> 0 THEN 2 WHEN reported_at IS NOT NULL THEN 4 ELSE 3 END AS k,
       COUNT(*)
FROM invitations GROUP BY COALESCE(division_id, 0), created_by, k;

CREATE TRIGGER invitation_tally_insert AFTER INSERT ON invitations BEGIN
    INSERT INTO invitation_tally (division_id, created_by, kind, n)
    VALUES (COALESCE(NEW.division_id, 0), NEW.created_by,
            CASE WHEN NEW.used_at IS NOT NULL THEN 0 WHEN NEW.revoked_at IS NOT NULL THEN 1
                 WHEN NEW.expiry_counted <> 0 THEN 2 WHEN NEW.reported_at IS NOT NULL THEN 4
                 ELSE 3 END, 1)
    ON CONFLICT (division_id, created_by, kind) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER invitation_tally_delete AFTER DELETE ON invitations BEGIN
    INSERT INTO invitation_tally (division_id, created_by, kind, n)
    VALUES (COALESCE(OLD.division_id, 0), OLD.created_by,
            CASE WHEN OLD.used_at IS NOT NULL THEN 0 WHEN OLD.revoked_at IS NOT NULL THEN 1
                 WHEN OLD.expiry_counted <> 0 THEN 2 WHEN OLD.reported_at IS NOT NULL THEN 4
                 ELSE 3 END, -1)
    ON CONFLICT (division_id, created_by, kind) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER invitation_tally_update
AFTER UPDATE OF used_at, revoked_at, reported_at, expiry_counted, division_id, created_by
ON invitations
WHEN COALESCE(OLD.division_id, 0) <> COALESCE(NEW.division_id, 0)
  OR OLD.created_by <> NEW.created_by
  OR (CASE WHEN OLD.used_at IS NOT NULL THEN 0 WHEN OLD.revoked_at IS NOT NULL THEN 1
           WHEN OLD.expiry_counted <> 0 THEN 2 WHEN OLD.reported_at IS NOT NULL THEN 4 ELSE 3 END)
  <> (CASE WHEN NEW.used_at IS NOT NULL THEN 0 WHEN NEW.revoked_at IS NOT NULL THEN 1
           WHEN NEW.expiry_counted <> 0 THEN 2 WHEN NEW.reported_at IS NOT NULL THEN 4 ELSE 3 END)
BEGIN
    INSERT INTO invitation_tally (division_id, created_by, kind, n)
    VALUES (COALESCE(OLD.division_id, 0), OLD.created_by,
            CASE WHEN OLD.used_at IS NOT NULL THEN 0 WHEN OLD.revoked_at IS NOT NULL THEN 1
                 WHEN OLD.expiry_counted <> 0 THEN 2 WHEN OLD.reported_at IS NOT NULL THEN 4
                 ELSE 3 END, -1)
    ON CONFLICT (division_id, created_by, kind) DO UPDATE SET n = n - 1;
    INSERT INTO invitation_tally (division_id, created_by, kind, n)
    VALUES (COALESCE(NEW.division_id, 0), NEW.created_by,
            CASE WHEN NEW.used_at IS NOT NULL THEN 0 WHEN NEW.revoked_at IS NOT NULL THEN 1
                 WHEN NEW.expiry_counted <> 0 THEN 2 WHEN NEW.reported_at IS NOT NULL THEN 4
                 ELSE 3 END, 1)
    ON CONFLICT (division_id, created_by, kind) DO UPDATE SET n = n + 1;
END;

-- Whether codes were created in id order (every code's creation time at or after the one
-- before it, as happens unless a clock steps back). While it holds, a search can walk its
-- candidates newest first by id and stop at the page instead of sorting every match.
CREATE TABLE invitation_order (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    in_order  INTEGER NOT NULL
);
INSERT INTO invitation_order (id, in_order)
SELECT 1, NOT EXISTS (SELECT 1 FROM (SELECT created_at,
                                            LAG(created_at) OVER (ORDER BY id) AS before
                                     FROM invitations)
                      WHERE created_at < before);

CREATE TRIGGER invitation_order_check AFTER INSERT ON invitations
WHEN NEW.id < (SELECT MAX(id) FROM invitations)
  OR NEW.created_at < (SELECT created_at FROM invitations WHERE id < NEW.id ORDER BY id DESC LIMIT 1)
BEGIN
    UPDATE invitation_order SET in_order = 0 WHERE in_order = 1;
END;
