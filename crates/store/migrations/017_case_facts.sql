-- The values statistics count (hearth-records::facts keeps them; hearth-reports reads them), one
-- row per case and per service and referral, so that a dashboard over 100,000 cases reads three
-- narrow tables instead of parsing every record's JSON. Like every query table, they are derived
-- from entity_state and rewritten whenever a record changes, local or imported.
--
-- Cases stored before this migration have no rows yet: facts_built says so, and the first
-- statistics read builds them all (records::facts::build_if_missing), in Rust, by the same code
-- that keeps them afterwards.

-- A case. Multi-valued codes are stored space-separated (codes never contain spaces).
CREATE TABLE case_facts (
    case_id                   BLOB PRIMARY KEY CHECK (length(case_id) = 16),
    -- the site of the laptop that opened the case (the office holds every site's)
    site                      TEXT NOT NULL,
    -- the day the case record was made, and the day the person was identified (YYYY-MM-DD)
    opened                    TEXT NOT NULL,
    identified                TEXT,
    -- the day the case was last closed, while it is closed
    closed                    TEXT,
    status                    TEXT NOT NULL,
    trafficking_status        TEXT,
    gender                    TEXT,
    -- age in years when identified
    age                       INTEGER,
    -- the first citizenship and the first country of exploitation (ISO 3166-1 alpha-2)
    citizenship               TEXT,
    exploitation_country      TEXT,
    -- months from the first dated trafficking event to the day identified
    trafficked_months         INTEGER,
    exploitation_types        TEXT NOT NULL,
    means_of_control          TEXT NOT NULL,
    labour_industry           TEXT,
    sexual_exploitation_types TEXT NOT NULL,
    relation_to_recruiter     TEXT,
    -- the consent decisions in force: 1 when Given
    statistics_consent        INTEGER NOT NULL CHECK (statistics_consent IN (0, 1)),
    sharing_consent           INTEGER NOT NULL CHECK (sharing_consent IN (0, 1))
) STRICT, WITHOUT ROWID;
CREATE INDEX case_facts_by_day ON case_facts (identified);

CREATE TABLE service_facts (
    id      BLOB PRIMARY KEY CHECK (length(id) = 16),
    case_id BLOB NOT NULL CHECK (length(case_id) = 16),
    type    TEXT,
    status  TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX service_facts_by_case ON service_facts (case_id);

CREATE TABLE referral_facts (
    id             BLOB PRIMARY KEY CHECK (length(id) = 16),
    case_id        BLOB NOT NULL CHECK (length(case_id) = 16),
    direction      TEXT,
    partner        TEXT,
    status         TEXT,
    decline_reason TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX referral_facts_by_case ON referral_facts (case_id);

-- Whether the three tables hold every record's facts (0 until the first build after this
-- migration). One row.
CREATE TABLE facts_built (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    built INTEGER NOT NULL CHECK (built IN (0, 1))
) STRICT;
INSERT INTO facts_built (id, built) VALUES (1, 0);
