-- What a bundle's import and export need without holding it in memory (issue 17: a bundle of any
-- size passes through bounded memory).
--
-- The records an import touched, whose list, search and team rows it rewrites once at the end of
-- the changes. Written and emptied inside the import's one transaction: outside an import it is
-- always empty (a crash rolls the rows back with everything else).
CREATE TABLE import_touched (
    entity_kind TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    PRIMARY KEY (entity_kind, entity_id)
) STRICT, WITHOUT ROWID;

-- A record's case, by the record: the consent filter looks it up for every change that leaves in
-- a bundle, instead of holding every record's case in memory.
CREATE INDEX case_children_by_id ON case_children (id);
