-- The figures rollup summed by service point and day (over devices and
-- event tags) and by device, day and service point (over event tags), each
-- keyed with its service point or device first (hub.DayRows), as the
-- SQLite store's sql/0022: a view of one service point or one device reads
-- one range of its table's primary key in order, a few rows per day, where
-- the fine rows are keyed by day and reached through an index, one heap
-- fetch a row. Filled here from the rollup, purged responses included.

CREATE TABLE figures_point_days (
    service_point text COLLATE "C" NOT NULL, day date NOT NULL, survey_id text COLLATE "C" NOT NULL,
    survey_version integer NOT NULL, status text COLLATE "C" NOT NULL, misuse boolean NOT NULL,
    metric text COLLATE "C" NOT NULL, n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (service_point, day, survey_id, survey_version, status, misuse, metric)
);

CREATE TABLE figures_device_days (
    device_id text COLLATE "C" NOT NULL, day date NOT NULL, service_point text COLLATE "C" NOT NULL,
    survey_id text COLLATE "C" NOT NULL, survey_version integer NOT NULL, status text COLLATE "C" NOT NULL,
    misuse boolean NOT NULL, metric text COLLATE "C" NOT NULL, n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (device_id, day, service_point, survey_id, survey_version, status, misuse, metric)
);

INSERT INTO figures_point_days (service_point, day, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT service_point, day, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO figures_device_days (device_id, day, service_point, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT device_id, day, service_point, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- Statistics now, so that the first views read the key range in order
-- (without them the planner guesses a bitmap scan and a sort).
ANALYZE figures_point_days;
ANALYZE figures_device_days;
