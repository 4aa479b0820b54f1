-- Sign-in with the organisation's OpenID Connect provider. A person's provider identity (the
-- ID token's `sub`) is linked to one account; a sign-in in progress is one `oidc_flows` row,
-- taken (deleted) by the callback, so a state or a code works once.
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc_subject ON users(oidc_subject);
-- Whether the account's email came from someone other than its holder (an admin, the CLI, or
-- an invitation bound to it): only such an address may link a provider identity by email.
-- Accounts that redeemed an unbound code typed their address themselves.
ALTER TABLE users ADD COLUMN email_trusted INTEGER NOT NULL DEFAULT 0;
UPDATE users SET email_trusted = 1 WHERE email IS NOT NULL AND NOT EXISTS
    (SELECT 1 FROM invitations i WHERE i.used_by = users.id AND i.email IS NULL);

CREATE TABLE oidc_flows (
    state          TEXT PRIMARY KEY,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    -- `login`; `join` with the code and the chosen username; `link` for a signed-in account.
    purpose        TEXT NOT NULL CHECK (purpose IN ('login', 'join', 'link')),
    next           TEXT,
    join_code      TEXT,
    join_username  TEXT,
    link_user_id   INTEGER,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX oidc_flows_expires ON oidc_flows(expires_at);
