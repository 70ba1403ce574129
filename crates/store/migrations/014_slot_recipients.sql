-- The age recipient of each key slot of version 2 (one per account; the recovery slot's account
-- is sixteen zero bytes). A version-2 slot holds its own identity wrapped under the passphrase,
-- and the data key encrypted to that identity: with the recipients here, an administrator can
-- give every live slot a new data key (`hearth vault rekey`) without knowing anyone's
-- passphrase. They are kept here, not in the key-slot file, so that someone who can write that
-- file cannot slip in a recipient of their own for the next data key to be encrypted to.
CREATE TABLE slot_recipients (
    account   BLOB PRIMARY KEY,
    recipient TEXT NOT NULL
) STRICT;

-- A change of the data key under way (`hearth vault rekey`): written, under the old key, before
-- the database is re-encrypted, and deleted in the transaction that records the change, under the
-- new one. The new key slots wait in `keyslots.next` meanwhile. A crash at any point leaves a
-- vault that one of the two files opens: an unlock that finds this row opened with the old key
-- knows the re-encryption never happened; one that opened with the new key finishes the record.
-- `account` is the administrator who asked; `new_recovery_recipient` the recipient of a new
-- recovery slot, when the old one was of the first version and a new recovery key was made.
CREATE TABLE pending_rekey (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    account                BLOB NOT NULL,
    new_recovery_recipient TEXT,
    started_ms             INTEGER NOT NULL
) STRICT;
