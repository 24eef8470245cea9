-- Hub schema, version 4: the figures rollup (hub.Store.Figures). One row
-- per day, survey version, service point, device, status, misuse flag,
-- event tag and metric, its counters summed in the transaction that
-- accepts each response (hub.RollupRow says what the metrics are).

CREATE TABLE figures (
    day            TEXT NOT NULL,     -- "2026-11-25", Asia/Ho_Chi_Minh
    survey_id      TEXT NOT NULL,
    survey_version INTEGER NOT NULL,
    service_point  TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    status         TEXT NOT NULL,
    misuse         INTEGER NOT NULL,
    event_tag      TEXT NOT NULL,
    metric         TEXT NOT NULL,
    n              INTEGER NOT NULL,
    sat            INTEGER NOT NULL,
    PRIMARY KEY (day, survey_id, survey_version, service_point, device_id, status, misuse, event_tag, metric)
) STRICT, WITHOUT ROWID;

CREATE INDEX figures_by_service_point ON figures (service_point, day);
CREATE INDEX figures_by_device ON figures (device_id, day);
CREATE INDEX figures_by_event ON figures (event_tag, day) WHERE event_tag <> '';

-- Sums of figures that the unfiltered dashboard reads (hub.CoarseRows):
-- over service points, devices and event tags by day, and over days,
-- devices and event tags by service point.
CREATE TABLE figures_days (
    day TEXT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
    status TEXT NOT NULL, misuse INTEGER NOT NULL, metric TEXT NOT NULL,
    n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (day, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;

CREATE TABLE figures_points (
    service_point TEXT NOT NULL, survey_id TEXT NOT NULL, survey_version INTEGER NOT NULL,
    status TEXT NOT NULL, misuse INTEGER NOT NULL, metric TEXT NOT NULL,
    n INTEGER NOT NULL, sat INTEGER NOT NULL,
    PRIMARY KEY (service_point, survey_id, survey_version, status, misuse, metric)
) STRICT, WITHOUT ROWID;
