-- Hub schema, version 22: the figures rollup summed by service point and
-- day (over devices and event tags) and by device, day and service point
-- (over event tags), each keyed with its service point or device first
-- (hub.DayRows): a view of one service point or one device reads one
-- range of its table in key order, a few rows per day, where the fine
-- rows are keyed by day and reached through an index, one lookup a row.
-- Filled here from the rollup, purged responses included.

CREATE TABLE figures_point_days (
    service_point TEXT NOT NULL, day TEXT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
    status TEXT NOT NULL, misuse INTEGER NOT NULL, metric TEXT NOT NULL,
    n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (service_point, day, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;

CREATE TABLE figures_device_days (
    device_id TEXT NOT NULL, day TEXT NOT NULL, service_point TEXT NOT NULL, survey_id TEXT NOT NULL,
    survey_version INTEGER NOT NULL, status TEXT NOT NULL, misuse INTEGER NOT NULL, metric TEXT NOT NULL,
    n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (device_id, day, service_point, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;

INSERT INTO figures_point_days (service_point, day, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT service_point, day, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO figures_device_days (device_id, day, service_point, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT device_id, day, service_point, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
