-- The figures rollup summed by month (hub.MonthRows), as the SQLite
-- store's sql/0012: by month and service point, and (responses rows only)
-- by month, service point and device; day is the month's first day. A
-- view over a period reads its whole months from here, the other days
-- from the fine rows. Filled here from the rollup, purged responses
-- included.

CREATE TABLE figures_month_points (
    day date NOT NULL, service_point text COLLATE "C" NOT NULL, survey_id text COLLATE "C" NOT NULL,
    survey_version integer NOT NULL, status text COLLATE "C" NOT NULL, misuse boolean NOT NULL,
    metric text COLLATE "C" NOT NULL, n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (day, service_point, survey_id, survey_version, status, misuse, metric)
);

CREATE TABLE figures_month_devices (
    day date NOT NULL, service_point text COLLATE "C" NOT NULL, device_id text COLLATE "C" NOT NULL,
    survey_id text COLLATE "C" NOT NULL, survey_version integer NOT NULL, status text COLLATE "C" NOT NULL,
    misuse boolean NOT NULL, metric text COLLATE "C" NOT NULL, n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (day, service_point, device_id, survey_id, survey_version, status, misuse, metric)
);

INSERT INTO figures_month_points (day, service_point, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT date_trunc('month', day)::date, service_point, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO figures_month_devices (day, service_point, device_id, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT date_trunc('month', day)::date, service_point, device_id, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
FROM figures WHERE metric = '' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
