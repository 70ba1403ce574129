-- Each record's stamps grouped by the change they came from (hearth_store::change_log::stamps):
-- [[hlc_ms, hlc_counter, "device hex", seq, ["field", ...]], ...] instead of migration 004's one
-- stamp per field ({"field": [hlc_ms, hlc_counter, "device hex", seq], ...}). A record's fields
-- mostly come from the same few changes, and one stamp per field made the stamps twice the size
-- of the values they stamp (BENCHMARKS.md, "Size on disk"). The merge reads the same precedence
-- from either; only the grouped form is read from now on.
UPDATE entity_state SET stamps = (
    SELECT json_group_array(json_insert(stamp, '$[#]', json(fields)))
    FROM (SELECT value AS stamp, json_group_array(key) AS fields
          FROM json_each(entity_state.stamps) GROUP BY value)
);
