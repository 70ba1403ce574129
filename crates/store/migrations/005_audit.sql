-- The audit log: who saw or changed what, when, and who tried what they may not do. One chain per
-- device: each entry commits to the hash of the entry before it on that device (prev_hash; the
-- first entry's is 32 zero bytes), so a changed, removed or reordered entry breaks the chain at
-- that point. Field names only, never values.
CREATE TABLE audit_log (
    device      BLOB NOT NULL CHECK (length(device) = 16),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    hlc_ms      INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    wall_ms     INTEGER NOT NULL,
    account     BLOB,
    role        TEXT,
    action      TEXT NOT NULL,
    target_kind TEXT,
    target_id   TEXT,
    fields      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    reason      TEXT,
    prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (device, seq)
) STRICT, WITHOUT ROWID;
-- Each index is one more page written with every audited action (see BENCHMARKS.md): the view
-- needs the newest entries and a case's entries; an account's entries are found along the time
-- index.
CREATE INDEX audit_by_time ON audit_log (wall_ms);
CREATE INDEX audit_by_target ON audit_log (target_id, wall_ms);

-- Hearth never changes or removes an entry; these make SQLite refuse to as well. (Someone with the
-- database key can drop them: the chain and the checkpoints are what reveal that.)
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Signed checkpoints of a device's chain (its size and head hash), made at every lock and every
-- export, in the signed-note text form that `hearth audit checkpoint` writes.
CREATE TABLE audit_checkpoints (
    device    BLOB NOT NULL,
    size      INTEGER NOT NULL,
    head      BLOB NOT NULL,
    note      TEXT NOT NULL,
    made_ms   INTEGER NOT NULL,
    PRIMARY KEY (device, size)
) STRICT;

-- This device's Ed25519 signing key (its 32-byte seed), made on first use; inside the encrypted
-- database like every other secret. Sync will publish the public half in the roster.
ALTER TABLE this_device ADD COLUMN signing_key BLOB;
