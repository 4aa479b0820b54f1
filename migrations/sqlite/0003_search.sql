-- Substring search over code, email and redeemer (the dashboard's search box) through an FTS5
-- trigram index, so a search is an index lookup instead of a scan of every invitation. The
-- index only narrows the candidates; the list query still applies the exact LIKE predicates.
CREATE VIRTUAL TABLE invitation_search USING fts5(doc, tokenize = 'trigram', detail = 'none');

INSERT INTO invitation_search (rowid, doc)
SELECT i.id, i.code || ' ' || COALESCE(i.email, '') || ' ' || COALESCE(u.username, '')
FROM invitations i LEFT JOIN users u ON u.id = i.used_by;

CREATE TRIGGER invitation_search_insert AFTER INSERT ON invitations BEGIN
    INSERT INTO invitation_search (rowid, doc)
    VALUES (NEW.id, NEW.code || ' ' || COALESCE(NEW.email, '') || ' ' ||
            COALESCE((SELECT username FROM users WHERE id = NEW.used_by), ''));
END;

CREATE TRIGGER invitation_search_update AFTER UPDATE OF code, email, used_by ON invitations BEGIN
    UPDATE invitation_search
    SET doc = NEW.code || ' ' || COALESCE(NEW.email, '') || ' ' ||
              COALESCE((SELECT username FROM users WHERE id = NEW.used_by), '')
    WHERE rowid = NEW.id;
END;

CREATE TRIGGER invitation_search_delete AFTER DELETE ON invitations BEGIN
    DELETE FROM invitation_search WHERE rowid = OLD.id;
END;
