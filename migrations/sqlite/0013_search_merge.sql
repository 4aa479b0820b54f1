-- FTS5 merges the search index's segments as it writes: by default every transaction that adds
-- a row writes a new segment and, every few segments, merges them, inside the transaction that
-- creates the code. Measured on the bench's 1M database (1,000 creates, one transaction each,
-- from Python's `sqlite3` module): 790-1,130 µs a create with the index kept this way, 335-350 µs
-- without the search index, 450-490 µs with incremental merging off.
-- With `automerge` at 0 the index still merges a level once it holds `crisismerge` (16)
-- segments, so a search reads at most 16 segments a level: the bench's searches took the same
-- time after 3,000 creates as before them.
INSERT INTO invitation_search (invitation_search, rank) VALUES ('automerge', 0);
