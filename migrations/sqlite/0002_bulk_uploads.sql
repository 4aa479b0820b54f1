-- Staged bulk-onboarding files: checked (dry run) first, committed all-or-nothing later.
CREATE TABLE bulk_uploads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    filename      TEXT,
    csv           TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    committed_at  INTEGER,
    created_ids   TEXT
);
