-- What the dashboard page reads instead of the responses. First, the
-- responses per service point and device (hub.DeviceRows, table
-- hub.TableDevices), as the SQLite store's sql/0011: summed over days and
-- event tags from the figures rollup's responses rows (metric ''), kept in
-- the ingest transaction, read by the dashboard's service point list and
-- device table. Filled here from the rollup, purged responses included.

CREATE TABLE figures_devices (
    service_point text COLLATE "C" NOT NULL, device_id text COLLATE "C" NOT NULL,
    survey_id text COLLATE "C" NOT NULL, survey_version integer NOT NULL,
    status text COLLATE "C" NOT NULL, misuse boolean NOT NULL, metric text COLLATE "C" NOT NULL,
    n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (service_point, device_id, survey_id, survey_version, status, misuse, metric)
);

INSERT INTO figures_devices (service_point, device_id, survey_id, survey_version, status, misuse, metric, n, sat)
SELECT service_point, device_id, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
FROM figures WHERE metric = ''
GROUP BY service_point, device_id, survey_id, survey_version, status, misuse, metric;

-- The received runs (hub.TableSeqRuns), as the SQLite store's sql/0011.
CREATE TABLE seq_runs (
    device_id text COLLATE "C" NOT NULL,
    first     bigint NOT NULL,
    last      bigint NOT NULL,
    PRIMARY KEY (device_id, first)
);

INSERT INTO seq_runs (device_id, first, last)
SELECT device_id, min(seq), max(seq) FROM (
    SELECT device_id, seq, seq - row_number() OVER (PARTITION BY device_id ORDER BY seq) AS island FROM (
        SELECT device_id, seq FROM responses WHERE seq IS NOT NULL
        UNION
        SELECT device_id, seq FROM purged WHERE seq IS NOT NULL) AS nums) AS numbered
GROUP BY device_id, island;
