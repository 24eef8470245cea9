-- Slip figures (docs/reports.md, "Rating slips"), as the SQLite store's
-- sql/0014: the 'elsewhere' slip status (a first use at another service
-- point than the slip was printed for), and the slips printed per day and
-- service point, kept by IssueSlips.

ALTER TABLE response_slips DROP CONSTRAINT response_slips_slip_status_check;
ALTER TABLE response_slips ADD CONSTRAINT response_slips_slip_status_check
    CHECK (slip_status IN ('first', 'unknown', 'reused', 'elsewhere'));
UPDATE response_slips rs SET slip_status = 'elsewhere'
FROM slips s, responses r
WHERE rs.slip_status = 'first' AND s.code = rs.slip AND r.id = rs.response_id AND s.service_point <> r.service_point
    AND s.service_point <> coalesce((SELECT d.service_point FROM devices d WHERE d.id = r.device_id), '');

CREATE TABLE slip_prints (
    day           date NOT NULL,
    service_point text COLLATE "C" NOT NULL,
    printed       bigint NOT NULL,
    PRIMARY KEY (day, service_point)
);
INSERT INTO slip_prints (day, service_point, printed)
SELECT (printed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, service_point, count(*) FROM slips GROUP BY 1, 2;

-- The rollup's slip channels (metric rows 'c:desk', 'c:home', 'c:flagged')
-- for the responses stored before: added in Go (backfillSlipFigures).
