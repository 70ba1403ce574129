-- What each device's clock read when it last wrote a bundle that arrived here, against this
-- laptop's clock at the import: clock_offset_ms = its clock minus ours (positive: ahead). A wrong
-- clock is shown (sync status, the audit log), never a reason to refuse its changes.
ALTER TABLE devices ADD COLUMN clock_offset_ms INTEGER;
ALTER TABLE devices ADD COLUMN clock_seen_ms INTEGER;
