-- The organisation's devices (this one included): their public keys and whether they are still
-- members. A revocation is final. Rosters travel in bundles and merge by that rule.
CREATE TABLE devices (
    device_id     BLOB PRIMARY KEY CHECK (length(device_id) = 16),
    name          TEXT NOT NULL,
    site          TEXT NOT NULL,
    signing_key   BLOB NOT NULL CHECK (length(signing_key) = 32),
    age_recipient TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    approved_by   BLOB,
    changed_ms    INTEGER NOT NULL
) STRICT;

-- Changes and audit entries that arrived after a gap in their device's numbers, held until the
-- gap is filled (as the JSON they travelled in).
CREATE TABLE held_changes (
    device BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT;
CREATE TABLE held_audit (
    device BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    entry  TEXT NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT;

-- Per destination ('*' for everyone), the highest change and audit numbers per device already
-- sent, so that the next export holds only what is new.
CREATE TABLE sync_sent (
    destination TEXT PRIMARY KEY,
    changes     TEXT NOT NULL,
    audit       TEXT NOT NULL,
    sent_ms     INTEGER NOT NULL
) STRICT;

-- Bundles imported, for the sync status.
CREATE TABLE sync_received (
    bundle_id   TEXT PRIMARY KEY,
    origin      BLOB NOT NULL,
    received_ms INTEGER NOT NULL,
    changes     INTEGER NOT NULL
) STRICT;
