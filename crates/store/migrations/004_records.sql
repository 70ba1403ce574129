-- Case records, and the change log in the shape records need.
--
-- 003's log held one row per field, and so did its projection; a new case then touched about a
-- hundred B-tree pages. No released build wrote to those tables (records arrive with this
-- migration), so they are replaced, empty, by one row per edit and one row per record.
DROP TABLE field_values;
DROP TABLE changes;

-- The vault's truth: an append-only log of edits. Each device numbers its own edits 1, 2, 3, ...
-- without gaps; (device, seq) identifies an edit everywhere. fields is a JSON object of the
-- field-level changes the edit made, field name -> new value (null clears the field: a tombstone).
CREATE TABLE changes (
    device      BLOB NOT NULL CHECK (length(device) = 16),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    hlc_ms      INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    account     BLOB NOT NULL CHECK (length(account) = 16),
    entity_kind TEXT NOT NULL,
    entity_id   BLOB NOT NULL CHECK (length(entity_id) = 16),
    fields      TEXT NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT;
-- A record's history.
CREATE INDEX changes_by_entity ON changes (entity_id);

-- Each record's current values (current: JSON object) and, per field, the stamp of the change
-- the value came from (stamps: field -> [hlc_ms, hlc_counter, device hex, seq]), which is what
-- the merge compares. Derived from `changes`: the same changes in any order give the same rows.
CREATE TABLE entity_state (
    entity_kind TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    current     TEXT NOT NULL,
    stamps      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (entity_kind, entity_id)
) STRICT;
-- (Both are rowid tables on purpose: a WITHOUT ROWID row longer than about 1 KB spills into an
-- overflow page of its own, and a case's rows are longer than that.)

-- The tables below are projections of entity_state that lists, search and access checks read.
-- Each is rewritten for a record whenever the record changes (records::projection), so they never
-- disagree with the log.

-- One row per case: what the case list shows, filters and sorts on.
CREATE TABLE cases (
    id              BLOB PRIMARY KEY CHECK (length(id) = 16),
    number          TEXT NOT NULL,
    status          TEXT NOT NULL,
    risk_level      TEXT,
    owner           BLOB,
    given_name      TEXT,
    family_name     TEXT,
    -- folded family and given name, for sorting by name
    sort_name       TEXT NOT NULL,
    date_identified TEXT,
    updated_ms      INTEGER NOT NULL,
    -- the terms this case has in search_terms, space-separated, so they can be removed exactly
    terms           TEXT NOT NULL
) STRICT, WITHOUT ROWID;
-- Not UNIQUE: this vault never gives a number twice (records::operations::next_case_number skips
-- taken ones), but two laptops whose site names start alike can each give the same number offline,
-- and a case arriving from the other must still be stored.
CREATE INDEX cases_by_number ON cases (number);
CREATE INDEX cases_by_name ON cases (sort_name);
CREATE INDEX cases_by_update ON cases (updated_ms);

-- The people who may work on a case: its owner and its assigned caseworkers.
CREATE TABLE case_team (
    case_id  BLOB NOT NULL,
    account  BLOB NOT NULL,
    is_owner INTEGER NOT NULL CHECK (is_owner IN (0, 1)),
    PRIMARY KEY (case_id, account)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_team_by_account ON case_team (account, case_id);

-- The search index: folded words of names, aliases and case numbers (records::search::fold).
-- It is inside the encrypted database like everything else.
CREATE TABLE search_terms (
    term    TEXT NOT NULL,
    case_id BLOB NOT NULL,
    PRIMARY KEY (term, case_id)
) STRICT, WITHOUT ROWID;

-- The records attached to a case (consent decisions, services, referrals, notes, follow-ups).
CREATE TABLE case_children (
    case_id BLOB NOT NULL,
    kind    TEXT NOT NULL,
    id      BLOB NOT NULL,
    PRIMARY KEY (case_id, kind, id)
) STRICT, WITHOUT ROWID;

-- Follow-ups, for "my follow-ups due" and the list's "follow-ups due" filter.
CREATE TABLE follow_ups (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL,
    due_date    TEXT NOT NULL,
    assigned_to BLOB,
    done        INTEGER NOT NULL CHECK (done IN (0, 1))
) STRICT, WITHOUT ROWID;
CREATE INDEX follow_ups_open_by_case ON follow_ups (case_id, done, due_date);
CREATE INDEX follow_ups_open_by_person ON follow_ups (assigned_to, done, due_date);

-- The partner organisation directory, sorted by name.
CREATE TABLE partners (
    id        BLOB PRIMARY KEY,
    sort_name TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The last case number this vault gave out, per prefix ("TIR-2026").
CREATE TABLE case_number_counters (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) STRICT;
