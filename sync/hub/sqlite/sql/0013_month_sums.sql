-- Hub schema, version 12: the figures rollup summed by month
-- (hub.MonthRows): by month and service point, and (responses rows only)
-- by month, service point and device. A dashboard view over a period reads
-- its whole months from here and only the other days from the fine rows,
-- so a month's view reads a few rows per service point however many
-- responses it holds. day is the month's first day. Filled here from the
-- rollup, purged responses included.

CREATE TABLE figures_month_points (
    day TEXT NOT NULL, service_point TEXT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
    status TEXT NOT NULL, misuse INTEGER NOT NULL, metric TEXT NOT NULL,
    n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (day, service_point, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;

CREATE TABLE figures_month_devices (
    day TEXT NOT NULL, service_point TEXT NOT NULL, device_id TEXT NOT NULL, survey_id TEXT NOT NULL,
    survey_version INTEGER NOT NULL, status TEXT NOT NULL, misuse INTEGER NOT NULL, metric TEXT NOT NULL,
    n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (day, service_point, device_id, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;

INSERT INTO figures_month_points (day, service_point, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT substr(day, 1, 8) || '01', service_point, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO figures_month_devices (day, service_point, device_id, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT substr(day, 1, 8) || '01', service_point, device_id, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
FROM figures WHERE metric = '' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
