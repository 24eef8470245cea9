-- Protocol version 2: each response carries its device's sequence number
-- (NULL for version 1 items), and each upload or bundle the device's
-- signed high-water mark. The hub reports the numbers from 1 to a
-- device's mark that it holds no response for (hub.Store.Gaps).
-- The index is partial: version 1 rows cost no index write.
ALTER TABLE responses ADD COLUMN seq INTEGER;
CREATE INDEX responses_device_seq ON responses (device_id, seq) WHERE seq IS NOT NULL;

-- The highest signed mark of each device: it answers for the numbers
-- from_seq to seq (from_seq is 1 unless the kiosk was enrolled again).
CREATE TABLE device_marks (
    device_id   TEXT PRIMARY KEY,
    from_seq    INTEGER NOT NULL CHECK (from_seq >= 1 AND from_seq <= seq),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    signed_at   TEXT NOT NULL,     -- the device's time in the mark
    signature   BLOB NOT NULL,     -- the device's Ed25519 signature of the mark
    received_at TEXT NOT NULL
) STRICT;
