-- PostgreSQL's search gains a trigram index here (pg_trgm over one search document per
-- invitation). SQLite has had its FTS5 trigram index since migration 0003; this empty step
-- keeps both migration histories the same length.
SELECT 1;
