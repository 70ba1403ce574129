-- The language each person chose for the app ("en", "sq", "sr"); NULL until they choose.
ALTER TABLE accounts ADD COLUMN language TEXT;

-- Lock after this many seconds without activity (an administrator changes it).
INSERT OR IGNORE INTO settings (key, value) VALUES ('idle_timeout_seconds', '300');
