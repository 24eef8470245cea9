-- Files returned per day and service point (hub.FileCount), as the SQLite
-- store's sql/0007: counts only, never a file code. Recording a day again
-- replaces its count.

CREATE TABLE file_counts (
    day           text COLLATE "C" NOT NULL,  -- Asia/Ho_Chi_Minh, YYYY-MM-DD
    service_point text COLLATE "C" NOT NULL,  -- NFC, trimmed (hub.CheckFileCount)
    files         integer NOT NULL CHECK (files >= 0),
    recorded_at   timestamptz NOT NULL,
    PRIMARY KEY (day, service_point)
);
