-- Lock-outs that grow: how often a bucket passed its limit, and until when it is locked.
ALTER TABLE rate_limits ADD COLUMN strikes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rate_limits ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
-- The keyed audit chain: the id of the key that sealed each row (NULL: a row from before keys,
-- plain SHA-256), and a MAC over the head (row count and last hash), so that a cut tail with a
-- rewound head no longer verifies without the key.
ALTER TABLE audit_events ADD COLUMN key_id TEXT;
ALTER TABLE audit_head ADD COLUMN head_mac TEXT;
-- Expired sessions are purged on a schedule.
CREATE INDEX sessions_expires ON sessions (expires_at);
