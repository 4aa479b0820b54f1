-- The dashboard's per-status counts group a division's codes by inviter (for Suspended); this
-- index covers that pass, and its (division_id) prefix serves what the old state index did.
DROP INDEX invitations_division_state;
CREATE INDEX invitations_division_creator_state
    ON invitations(division_id, created_by, used_at, revoked_at, expires_at);
