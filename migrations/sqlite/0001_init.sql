-- onboard schema (SQLite). Timestamps are UTC milliseconds since the Unix epoch.
CREATE TABLE divisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT NOT NULL UNIQUE,
    email          TEXT,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('staff', 'manager', 'admin')),
    division_id    INTEGER REFERENCES divisions(id),
    disabled_at    INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX users_division ON users(division_id);

CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT NOT NULL UNIQUE,
    email        TEXT,
    role         TEXT NOT NULL CHECK (role IN ('staff', 'manager', 'admin')),
    division_id  INTEGER REFERENCES divisions(id),
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_by      INTEGER REFERENCES users(id),
    used_at      INTEGER,
    revoked_by   INTEGER REFERENCES users(id),
    revoked_at   INTEGER
);
-- The list: a division's codes newest first, and its status predicates.
CREATE INDEX invitations_division_created ON invitations(division_id, created_at DESC, id DESC);
CREATE INDEX invitations_division_state ON invitations(division_id, used_at, revoked_at, expires_at);
CREATE INDEX invitations_created ON invitations(created_at DESC, id DESC);
CREATE INDEX invitations_email ON invitations(email);
CREATE INDEX invitations_used_by ON invitations(used_by);
CREATE INDEX invitations_created_by ON invitations(created_by);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

-- Fixed-window counters for login and redemption limits, shared by every app instance.
CREATE TABLE rate_limits (
    bucket        TEXT PRIMARY KEY,
    window_start  INTEGER NOT NULL,
    count         INTEGER NOT NULL
);

-- Append-only, hash-chained audit trail. `audit_head` holds the chain's tip; updating it first
-- serialises appends, also across instances.
CREATE TABLE audit_events (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor          TEXT,
    action         TEXT NOT NULL,
    division       TEXT,
    invitation_id  INTEGER,
    client_addr    TEXT,
    details        TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_division ON audit_events(division, id);
CREATE INDEX audit_events_action ON audit_events(action, id);
CREATE INDEX audit_events_invitation ON audit_events(invitation_id);

CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    seq        INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
