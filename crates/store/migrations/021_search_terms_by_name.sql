-- Migration 020 gave every term row its case's sort key, but the rows stayed keyed by
-- (term, case): a search for a common name's first letters still read every matching row and
-- sorted them to find the first page, 27 ms at p95 in the office's vault of a million cases
-- (BENCHMARKS.md, "The office"). Keyed by (term, sort name, number, case), each distinct term's
-- rows are stored in the list's order, and hearth_records::queries merges the terms in the
-- prefix's range, reading only as far as the page needs.
--
-- The rows are copied with the sort key of their case's list row, so every row carries the key
-- hearth_records::projection will remove it by; a row whose case has no list row could never
-- be found by a search or removed, and is not copied.
CREATE TABLE search_terms_by_name (
    term      TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    number    TEXT NOT NULL,
    case_id   BLOB NOT NULL,
    PRIMARY KEY (term, sort_name, number, case_id)
) STRICT, WITHOUT ROWID;
INSERT INTO search_terms_by_name (term, sort_name, number, case_id)
    SELECT t.term, c.sort_name, c.number, t.case_id
    FROM search_terms t JOIN cases c ON c.id = t.case_id;
DROP TABLE search_terms;
ALTER TABLE search_terms_by_name RENAME TO search_terms;
