-- Hub schema, version 11: what the dashboard page reads instead of the
-- responses. First, the responses per service point and device
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

-- The received runs (hub.TableSeqRuns): per device, the maximal runs of
-- sequence numbers that a stored or purged response carries, kept in the
-- ingest transaction; Gaps reads them with the marks instead of every
-- response. Filled here from the responses and the purged numbers: along
-- a run, a number less its rank is constant.
CREATE TABLE seq_runs (
    device_id TEXT NOT NULL,
    first     INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (device_id, first)
) STRICT, WITHOUT ROWID;

INSERT INTO seq_runs (device_id, first, last)
SELECT device_id, min(seq), max(seq) FROM (
    SELECT device_id, seq, seq - row_number() OVER (PARTITION BY device_id ORDER BY seq) AS island FROM (
        SELECT device_id, seq FROM responses WHERE seq IS NOT NULL
        UNION
        SELECT device_id, seq FROM purged WHERE seq IS NOT NULL))
GROUP BY device_id, island;
