-- Lock-outs that grow: how often a bucket passed its limit, and until when it is locked.
ALTER TABLE rate_limits ADD COLUMN strikes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rate_limits ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
-- The keyed audit chain: which scheme the rows' hashes use ('sha256' before keys existed,
-- 'hmac-sha256' after), and a MAC over the head (row count and last hash), so a cut tail
-- with a rewound head no longer verifies without the key.
ALTER TABLE audit_head ADD COLUMN scheme TEXT NOT NULL DEFAULT 'sha256';
ALTER TABLE audit_head ADD COLUMN head_mac TEXT;
CREATE INDEX sessions_expires ON sessions (expires_at);
