-- Slip figures (docs/reports.md, "Rating slips"), as the SQLite store's
-- sql/0014: the 'elsewhere' slip status (a first use at another service
-- point than the slip was printed for), and the slips printed per day and
-- service point, kept by IssueSlips.

ALTER TABLE response_slips DROP CONSTRAINT response_slips_slip_status_check;
ALTER TABLE response_slips ADD CONSTRAINT response_slips_slip_status_check
    CHECK (slip_status IN ('first', 'unknown', 'reused', 'elsewhere'));

CREATE TABLE slip_prints (
    day           date NOT NULL,
    service_point text COLLATE "C" NOT NULL,
    printed       bigint NOT NULL,
    PRIMARY KEY (day, service_point)
);
INSERT INTO slip_prints (day, service_point, printed)
SELECT (printed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, service_point, count(*) FROM slips GROUP BY 1, 2;
