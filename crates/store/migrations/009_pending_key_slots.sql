-- A change to the key-slot file, recorded in the same transaction as its audit entry and the
-- account rows it goes with, before the file itself is replaced. The file and the database cannot
-- change in one atomic step; with this row, whichever moment a crash falls at, the next unlock
-- finds either nothing done (no row, old file) or the change committed, and then writes the file
-- the row holds. So the vault opens with the old passphrase or the new one, and the audit log
-- says which took effect. At most one row; it holds only wrapped keys.
CREATE TABLE pending_key_slots (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    file BLOB NOT NULL
) STRICT;
