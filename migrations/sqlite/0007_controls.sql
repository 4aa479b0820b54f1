-- Controls admins ask for (quotas, expiry ceilings, notes, "not me", people, scoped tokens).
-- A short note on a code, and when its recipient reported it as not theirs (Suspended until an
-- admin reinstates or revokes it).
ALTER TABLE invitations ADD COLUMN note TEXT;
ALTER TABLE invitations ADD COLUMN reported_at INTEGER;
-- At most this many Active codes in the division; NULL: no quota.
ALTER TABLE divisions ADD COLUMN max_active_codes INTEGER;
-- Organisation-wide settings, one JSON value per key (e.g. `max_expiry_days`).
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- Scoped tokens: a space-separated scope list (NULL: a token from before scopes, with all of
-- its holder's rights), an optional expiry and the last use.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
-- One-time password-reset links an admin hands out.
CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id);
-- The search index covers the note too (existing codes have none, so no rebuild).
DROP TRIGGER invitation_search_insert;
DROP TRIGGER invitation_search_update;
CREATE TRIGGER invitation_search_insert AFTER INSERT ON invitations BEGIN
    INSERT INTO invitation_search (rowid, doc)
    VALUES (NEW.id, NEW.code || ' ' || COALESCE(NEW.email, '') || ' ' ||
            COALESCE((SELECT username FROM users WHERE id = NEW.used_by), '') || ' ' ||
            COALESCE(NEW.note, ''));
END;
CREATE TRIGGER invitation_search_update AFTER UPDATE OF code, email, used_by, note ON invitations BEGIN
    UPDATE invitation_search
    SET doc = NEW.code || ' ' || COALESCE(NEW.email, '') || ' ' ||
              COALESCE((SELECT username FROM users WHERE id = NEW.used_by), '') || ' ' ||
              COALESCE(NEW.note, '')
    WHERE rowid = NEW.id;
END;
-- The per-status counts read `reported_at` too; the covering index carries it.
DROP INDEX invitations_division_creator_state;
CREATE INDEX invitations_division_creator_state
    ON invitations(division_id, created_by, used_at, revoked_at, expires_at, reported_at);
