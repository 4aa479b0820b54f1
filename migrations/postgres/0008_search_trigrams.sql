-- Substring search on PostgreSQL through trigram indexes (pg_trgm ships with PostgreSQL's
-- contrib modules and is a trusted extension, so the database owner may create it). The list
-- query narrows a search of three or more characters to the rows these indexes find, one arm
-- per column, and the exact LIKE predicates decide, as the FTS5 index does on SQLite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX invitations_code_trgm ON invitations USING gin (code gin_trgm_ops);
CREATE INDEX invitations_email_trgm ON invitations USING gin (email gin_trgm_ops);
CREATE INDEX invitations_note_trgm ON invitations USING gin (LOWER(note) gin_trgm_ops);
CREATE INDEX users_username_trgm ON users USING gin (username gin_trgm_ops);
