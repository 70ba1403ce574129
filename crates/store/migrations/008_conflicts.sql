-- Concurrent edits and what consent keeps back.
--
-- replaces: per field, the edits (device hex, seq) whose values this edit replaced knowingly: the
-- values its author's laptop held when the edit was made. An edit that loses the merge and that no
-- other edit replaced knowingly was concurrent: its value goes to the conflict queue.
-- withheld: fields left out of this copy of the edit because the case's consent to share within
-- the organisation was not given; the whole edit may arrive later and fill them in.
ALTER TABLE changes ADD COLUMN replaces TEXT NOT NULL DEFAULT '{}';
ALTER TABLE changes ADD COLUMN withheld TEXT NOT NULL DEFAULT '[]';

-- Every (record, field, edit) some other edit replaced knowingly. Derived from changes.replaces.
CREATE TABLE superseded (
    entity_id BLOB NOT NULL,
    field     TEXT NOT NULL,
    device    BLOB NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (entity_id, field, device, seq)
) STRICT, WITHOUT ROWID;

-- The conflict queue: values that lost the merge to a concurrent edit and that nobody has
-- replaced since. A function of the set of changes held, so laptops holding the same changes hold
-- the same queue. The id is local (for `hearth conflicts resolve ID`) and never reused.
CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_kind TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    field       TEXT NOT NULL,
    device      BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    UNIQUE (entity_id, field, device, seq)
) STRICT;

-- Roster records signed one by one: an approval by the approving device (the organisation's first
-- device signs its own), a revocation by the revoking device. A laptop accepts a device that a
-- member it trusts approved, and a revocation a member signed; see sync/roster.rs.
ALTER TABLE devices ADD COLUMN approval BLOB;
ALTER TABLE devices ADD COLUMN revoked_by BLOB;
ALTER TABLE devices ADD COLUMN revocation BLOB;
