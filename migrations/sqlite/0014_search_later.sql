-- A new code reaches the search index shortly after its create commits, not inside it. On a
-- copy of the bench's 1M database (Python's `sqlite3` module, one create a transaction,
-- `synchronous = FULL`, 2,000 creates) a create took 320 µs at the median with the insert
-- trigger and 166 µs without it; indexing the same rows afterwards, a few hundred in one
-- transaction, costs 7-12 µs a row.
--
-- The index holds every code up to `indexed_upto` (ids only grow: AUTOINCREMENT). The server
-- indexes the codes above it in batches, in a write transaction that moves the mark
-- (`db::invitations::search::catch_up`); a search takes its candidates from the index and
-- from the codes above the mark whose document matches, in the same statement, so a code is
-- found from the moment its create commits. The update and delete triggers stay: on a code not indexed yet they change
-- nothing, and the batch that indexes it reads the row as it is then.
DROP TRIGGER invitation_search_insert;

CREATE TABLE invitation_search_mark (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto  INTEGER NOT NULL
);
INSERT INTO invitation_search_mark (id, indexed_upto)
SELECT 1, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'invitations'), 0);
