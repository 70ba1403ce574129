-- This device's age X25519 identity (AGE-SECRET-KEY-1...), made on first use, inside the
-- encrypted database. Bundles for this laptop are encrypted to its public half.
ALTER TABLE this_device ADD COLUMN age_identity TEXT;
