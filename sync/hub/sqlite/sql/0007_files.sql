-- Hub schema, version 7: files returned per day and service point, as the
-- agency records them (dashboard form or `hailong-hub files import`), for
-- coverage = ratings ÷ files returned (docs/reports.md). Counts only: no
-- file code is ever stored. Recording a day again replaces its count.

CREATE TABLE file_counts (
    day           TEXT NOT NULL,    -- Asia/Ho_Chi_Minh, YYYY-MM-DD
    service_point TEXT NOT NULL,    -- NFC, trimmed (hub.CheckFileCount)
    files         INTEGER NOT NULL CHECK (files >= 0),
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (day, service_point)
) STRICT;
