-- Each device's changes form a hash chain, and the device signs its head at every export, so that
-- a laptop passing another's changes on cannot alter, drop, reorder or invent one
-- (`hearth_store::change_log::chain`).
--
-- `proof` is what a change's chain hash is computed from besides its own columns (JSON): the
-- random seed its device drew, from which every field's salt is derived, or, for a copy that
-- arrived without fields consent kept back, the salts of the fields it has and the hashes
-- ("leaves") of those it lacks. `chain` is the chain hash at this change. Both are NULL for a
-- change made by a Hearth that did not chain its changes yet.
ALTER TABLE changes ADD COLUMN proof TEXT;
ALTER TABLE changes ADD COLUMN chain BLOB CHECK (chain IS NULL OR length(chain) = 32);

-- Heads signed by their devices (the note's text, `hearth.changes/<device>`), as they arrived
-- with the changes they cover: an export passes another device's changes on only as far as a
-- head of that device covers them.
CREATE TABLE change_heads (
    device BLOB NOT NULL CHECK (length(device) = 16),
    seq    INTEGER NOT NULL CHECK (seq >= 1),
    hash   BLOB NOT NULL CHECK (length(hash) = 32),
    note   TEXT NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT, WITHOUT ROWID;
