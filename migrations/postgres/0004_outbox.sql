-- Outgoing email. A message is written in the same transaction as its invitation and
-- delivered later by a worker: `claimed_until` is a lease, so one instance sends a row at a time.
CREATE TABLE outbox (
    id               BIGSERIAL PRIMARY KEY,
    invitation_id    BIGINT REFERENCES invitations(id) ON DELETE SET NULL,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    lang             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    last_error       TEXT,
    created_by       BIGINT REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_invitation ON outbox(invitation_id);
