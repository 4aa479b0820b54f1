-- Staged bulk-onboarding files: checked (dry run) first, committed all-or-nothing later.
CREATE TABLE bulk_uploads (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    filename      TEXT,
    csv           TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    committed_at  BIGINT,
    created_ids   TEXT
);
