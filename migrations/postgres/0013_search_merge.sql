-- SQLite tunes how its FTS5 search index merges here (migrations/sqlite/0013). PostgreSQL's
-- trigram index is a GIN index whose pending list is merged by autovacuum; this empty step
-- keeps both migration histories the same length.
SELECT 1;
