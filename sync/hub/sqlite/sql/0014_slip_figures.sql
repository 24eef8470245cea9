-- Hub schema, version 14: slip figures (docs/reports.md, "Rating slips").

-- A slip's first use by a response from another service point than the
-- one it was printed for (neither the response's nor its device's) is
-- stored as 'elsewhere' (hub.SlipElsewhere, hub.SlipAt).
-- SQLite cannot change a CHECK: the table is rebuilt, rows kept.
CREATE TABLE response_slips_new (
    response_id TEXT PRIMARY KEY,
    slip        TEXT NOT NULL,
    slip_status TEXT NOT NULL CHECK (slip_status IN ('first', 'unknown', 'reused', 'elsewhere'))
) STRICT, WITHOUT ROWID;
INSERT INTO response_slips_new (response_id, slip, slip_status) SELECT response_id, slip, slip_status FROM response_slips;
DROP TABLE response_slips;
ALTER TABLE response_slips_new RENAME TO response_slips;
UPDATE response_slips SET slip_status = 'elsewhere'
WHERE slip_status = 'first' AND EXISTS (SELECT 1 FROM slips s JOIN responses r ON r.id = response_slips.response_id
    WHERE s.code = response_slips.slip AND s.service_point <> r.service_point
    AND s.service_point <> coalesce((SELECT d.service_point FROM devices d WHERE d.id = r.device_id), ''));

-- Slips printed per day (Asia/Ho_Chi_Minh, no daylight saving: UTC+7) and
-- service point (hub.SlipPrints), kept by IssueSlips in the transaction
-- that stores the slips, so that figures never count the slips table.
CREATE TABLE slip_prints (
    day           TEXT NOT NULL,      -- "2026-11-25"
    service_point TEXT NOT NULL,
    printed       INTEGER NOT NULL,
    PRIMARY KEY (day, service_point)
) STRICT, WITHOUT ROWID;
INSERT INTO slip_prints (day, service_point, printed)
SELECT date(printed_at, '+7 hours'), service_point, count(*) FROM slips GROUP BY 1, 2;

-- The rollup's slip channels (metric rows 'c:desk', 'c:home', 'c:flagged')
-- for the responses stored before: added in Go (backfillSlipFigures).
