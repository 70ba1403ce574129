-- The year each case's person was born, for the duplicate check at intake (records::duplicates):
-- the birth date's year, or else the day identified's year (the case's creation year without
-- one) less the estimated age. Kept by records::projection from now on; computed here once for
-- the cases already stored.
ALTER TABLE cases ADD COLUMN birth_year INTEGER;
UPDATE cases SET birth_year = (
    SELECT CASE
        WHEN json_extract(e.current, '$.birth_date') IS NOT NULL
            THEN CAST(substr(json_extract(e.current, '$.birth_date'), 1, 4) AS INTEGER)
        WHEN json_extract(e.current, '$.estimated_age') IS NOT NULL
            THEN CAST(coalesce(substr(json_extract(e.current, '$.date_identified'), 1, 4),
                               strftime('%Y', e.created_ms / 1000, 'unixepoch')) AS INTEGER)
                 - json_extract(e.current, '$.estimated_age')
    END
    FROM entity_state e
    WHERE e.entity_kind = 'case' AND e.entity_id = cases.id
);
