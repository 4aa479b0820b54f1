-- Webhook endpoints and their deliveries. A delivery is written in the same transaction as the
-- event it reports and sent later by a worker holding a lease (`claimed_until`), like the email
-- outbox; deliveries of one invitation to one endpoint go out in id order.
CREATE TABLE webhooks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    url            TEXT NOT NULL,
    -- Space-separated event names.
    events         TEXT NOT NULL,
    description    TEXT,
    secret         TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'disabled')),
    failing_since  INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    message_id       TEXT NOT NULL UNIQUE,
    event            TEXT NOT NULL,
    invitation_id    INTEGER,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    response_status  INTEGER,
    duration_ms      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(webhook_id, invitation_id, status, id);

-- How far the expiry sweep has announced `invitation.expired`: one row, locked by the sweep.
CREATE TABLE webhook_sweep (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    swept_until   INTEGER NOT NULL
);

-- The sweep finds the codes whose expiry passed since its last run.
CREATE INDEX invitations_expires ON invitations(expires_at);
