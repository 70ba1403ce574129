-- The point a revocation names: the highest change number of the revoked device that the revoking
-- laptop held, signed with the revocation (hearth-revocation/v2). Changes of that device up to it
-- are kept everywhere, later ones dropped everywhere, so laptops that heard of the revocation at
-- different times still end holding the same changes. NULL for a v1 revocation, which names no
-- point: a laptop keeps what it held of the device and drops whatever else arrives.
ALTER TABLE devices ADD COLUMN revoked_through INTEGER;
