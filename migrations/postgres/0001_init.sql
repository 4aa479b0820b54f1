-- onboard schema (PostgreSQL), equivalent to migrations/sqlite. Timestamps are UTC ms since epoch.
CREATE TABLE divisions (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    email          TEXT,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('staff', 'manager', 'admin')),
    division_id    BIGINT REFERENCES divisions(id),
    disabled_at    BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX users_division ON users(division_id);

CREATE TABLE invitations (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    email        TEXT,
    role         TEXT NOT NULL CHECK (role IN ('staff', 'manager', 'admin')),
    division_id  BIGINT REFERENCES divisions(id),
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_by      BIGINT REFERENCES users(id),
    used_at      BIGINT,
    revoked_by   BIGINT REFERENCES users(id),
    revoked_at   BIGINT
);
CREATE INDEX invitations_division_created ON invitations(division_id, created_at DESC, id DESC);
CREATE INDEX invitations_division_state ON invitations(division_id, used_at, revoked_at, expires_at);
CREATE INDEX invitations_created ON invitations(created_at DESC, id DESC);
CREATE INDEX invitations_email ON invitations(email);
CREATE INDEX invitations_used_by ON invitations(used_by);
CREATE INDEX invitations_created_by ON invitations(created_by);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE rate_limits (
    bucket        TEXT PRIMARY KEY,
    window_start  BIGINT NOT NULL,
    count         BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id             BIGINT PRIMARY KEY,
    at             BIGINT NOT NULL,
    actor          TEXT,
    action         TEXT NOT NULL,
    division       TEXT,
    invitation_id  BIGINT,
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
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    seq        BIGINT NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit trail is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
