-- SQLite's search index is filled after each create commits here (migrations/sqlite/0014).
-- PostgreSQL's trigram index is part of the row's own write; this empty step keeps both
-- migration histories the same length.
SELECT 1;
