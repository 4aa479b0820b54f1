-- The SQLite schema adds an FTS5 trigram index for the dashboard search here. PostgreSQL keeps
-- the LIKE predicates (see README, "Performance": pg_trgm is the planned index); this empty
-- step keeps both migration histories the same length.
SELECT 1;
