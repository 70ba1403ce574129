-- The vault's truth: an append-only log of field-level changes. Each device numbers its own
-- changes 1, 2, 3, ... without gaps; (device, seq) identifies a change everywhere.
-- value is the field's new value as JSON text; NULL clears the field (a tombstone).
CREATE TABLE changes (
    device      BLOB NOT NULL CHECK (length(device) = 16),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    hlc_ms      INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    account     BLOB NOT NULL CHECK (length(account) = 16),
    entity_kind TEXT NOT NULL,
    entity_id   BLOB NOT NULL CHECK (length(entity_id) = 16),
    field       TEXT NOT NULL,
    value       TEXT,
    PRIMARY KEY (device, seq)
) STRICT;

-- The current value of every field: a projection of `changes` in which each field keeps the change
-- with the highest (hlc_ms, hlc_counter, device, seq). Applying the same changes in any order gives
-- the same rows.
CREATE TABLE field_values (
    entity_kind TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT,
    hlc_ms      INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    device      BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (entity_kind, entity_id, field)
) STRICT, WITHOUT ROWID;

-- The newest hybrid logical clock this vault has made or seen; it never goes backwards.
CREATE TABLE clock (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    hlc_ms      INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL
) STRICT;
INSERT INTO clock (id, hlc_ms, hlc_counter) VALUES (1, 0, 0);
