-- Hub schema, version 11: the responses per service point and device
-- (hub.DeviceRows, table hub.TableDevices), summed over days and event
-- tags from the figures rollup's responses rows (metric ''), kept in the
-- transaction that accepts each response: the dashboard's service point
-- list and device table read it instead of every response. Filled here
-- from the rollup, which already counts every response ever accepted,
-- purged ones included.

CREATE TABLE figures_devices (
    service_point TEXT NOT NULL, device_id TEXT NOT NULL, survey_id TEXT NOT NULL,
    survey_version INTEGER NOT NULL, status TEXT NOT NULL, misuse INTEGER NOT NULL,
    metric TEXT NOT NULL, n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (service_point, device_id, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;

INSERT INTO figures_devices (service_point, device_id, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT service_point, device_id, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
FROM figures WHERE metric = ''
GROUP BY service_point, device_id, survey_id, survey_version, status, misuse, metric;
