-- 0004_device_seq: the device's sequence number of each response (protocol
-- version 2): 1, 2, 3, ... in save order, assigned in the save's
-- transaction from the counter meta.device_seq (the highest number
-- assigned, the device's high-water mark). It is not the rowid seq: SQLite
-- may hand out a deleted last rowid again, the counter never goes back, so
-- a number is never reused even if rows are deleted behind the store's
-- back, and the hub can report the numbers it never received. Rows saved
-- before this migration keep NULL: they travel as version 1 items, and
-- their stored version 1 signatures stay valid.
ALTER TABLE responses ADD COLUMN device_seq INTEGER;
INSERT INTO meta (key, value) VALUES ('device_seq', 0);
