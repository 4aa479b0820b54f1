-- The dashboard search on PostgreSQL through a trigram index (pg_trgm), like SQLite's FTS5
-- trigram index of migration 0003. Every invitation carries one lower-case search document
-- (code, email, redeemer, note), kept by a trigger, and one GIN trigram index covers it, so
-- the planner can choose per search between the index (a rare term) and walking the
-- creation-time index with the document as a filter (a term that matches recent codes). The
-- document only narrows the candidates; the list query still applies the exact predicates.
-- (One index per column, joined by UNION, was tried first: the planner hash-joined the
-- candidates against a full scan.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE invitations ADD COLUMN search_doc TEXT;

CREATE FUNCTION invitation_search_doc(code TEXT, email TEXT, used_by BIGINT, note TEXT)
RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT lower(code || ' ' || COALESCE(email, '') || ' ' ||
                 COALESCE((SELECT username FROM users WHERE id = used_by), '') || ' ' ||
                 COALESCE(note, ''))
$$;

CREATE FUNCTION invitation_search_doc_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_doc := invitation_search_doc(NEW.code, NEW.email, NEW.used_by, NEW.note);
    RETURN NEW;
END
$$;

CREATE TRIGGER invitation_search_doc BEFORE INSERT OR UPDATE OF code, email, used_by, note
    ON invitations FOR EACH ROW EXECUTE FUNCTION invitation_search_doc_keep();

UPDATE invitations SET search_doc = invitation_search_doc(code, email, used_by, note);

CREATE INDEX invitations_search ON invitations USING gin (search_doc gin_trgm_ops);
