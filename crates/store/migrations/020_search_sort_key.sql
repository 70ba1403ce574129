-- A search's first page is the first cases by name among its matches. Choosing it meant joining
-- every match to `cases` for its name: one random B-tree lookup per match, tens of thousands for a
-- common name's first letters in the coordinating office's vault of a million cases
-- (BENCHMARKS.md, "The office"). Each term row now carries its case's sort key (the list's
-- `sort_name` and `number`), kept by hearth_records::projection with the row, so that a search
-- reads the page from the term rows alone (hearth_records::queries).
ALTER TABLE search_terms ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
ALTER TABLE search_terms ADD COLUMN number TEXT NOT NULL DEFAULT '';
UPDATE search_terms SET
    sort_name = coalesce((SELECT c.sort_name FROM cases c WHERE c.id = search_terms.case_id), ''),
    number = coalesce((SELECT c.number FROM cases c WHERE c.id = search_terms.case_id), '');
