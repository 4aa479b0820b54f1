-- SQLite gains an index of each division's open codes here (migrations/sqlite/0012).
-- PostgreSQL reads a page from a window of the division's newest rows instead
-- (src/db/invitations/list.rs); this empty step keeps both migration histories the same length.
SELECT 1;
