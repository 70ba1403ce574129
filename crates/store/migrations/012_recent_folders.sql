-- The folder each person last chose in a file dialog, per kind of file ("bundle", "audit_csv",
-- ...), so that the next Save or Open starts there (a USB stick's folder for bundles). This
-- laptop's own convenience: never synced, never audited, forgotten with the account's rows.
CREATE TABLE recent_folders (
    account BLOB NOT NULL,
    kind TEXT NOT NULL,
    folder TEXT NOT NULL,
    PRIMARY KEY (account, kind)
) WITHOUT ROWID;
