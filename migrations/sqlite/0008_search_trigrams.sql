-- PostgreSQL adds its trigram indexes here; SQLite's search already goes through the FTS5
-- trigram table of 0003. This step keeps both migration histories the same length.
SELECT 1;
