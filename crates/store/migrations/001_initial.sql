-- The organisation this vault belongs to and the site it serves. Exactly one row.
CREATE TABLE organisation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    site       TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) STRICT;

-- This laptop. Its id stamps every change it makes (the sync issue adds its keys).
CREATE TABLE this_device (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    device_id  BLOB NOT NULL CHECK (length(device_id) = 16),
    created_ms INTEGER NOT NULL
) STRICT;

-- Staff accounts. The passphrase never reaches this table: it lives only as a key slot.
-- name_key is the normalised name, so that "Ana" and " ana " are the same account.
-- disabled_slot keeps a disabled account's key slot, so that enabling it restores the same
-- passphrase; while disabled, the slot file holds no key for it.
CREATE TABLE accounts (
    id            BLOB PRIMARY KEY CHECK (length(id) = 16),
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'caseworker')),
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_ms    INTEGER NOT NULL,
    disabled_slot BLOB
) STRICT;

-- Vault-wide settings as key/value pairs (KDF parameters for new slots, idle timeout, ...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
