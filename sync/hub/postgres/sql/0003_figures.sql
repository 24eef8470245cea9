-- Hub schema for PostgreSQL, version 3: the figures rollup
-- (hub.Store.Figures), the same as the SQLite store's sql/0004.

CREATE TABLE figures (
    day            date NOT NULL,     -- Asia/Ho_Chi_Minh
    survey_id      text COLLATE "C" NOT NULL,
    survey_version integer NOT NULL,
    service_point  text COLLATE "C" NOT NULL,
    device_id      text COLLATE "C" NOT NULL,
    status         text COLLATE "C" NOT NULL,
    misuse         boolean NOT NULL,
    event_tag      text COLLATE "C" NOT NULL,
    metric         text COLLATE "C" NOT NULL,
    n              bigint NOT NULL,
    sat            bigint NOT NULL,
    PRIMARY KEY (day, survey_id, survey_version, service_point, device_id, status, misuse, event_tag, metric)
);

CREATE INDEX figures_by_service_point ON figures (service_point, day);
CREATE INDEX figures_by_device ON figures (device_id, day);
CREATE INDEX figures_by_event ON figures (event_tag, day) WHERE event_tag <> '';

-- Sums of figures that the unfiltered dashboard reads (hub.CoarseRows).
CREATE TABLE figures_days (
    day date NOT NULL, survey_id text COLLATE "C" NOT NULL, survey_version integer NOT NULL,
    status text COLLATE "C" NOT NULL, misuse boolean NOT NULL, metric text COLLATE "C" NOT NULL,
    n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (day, survey_id, survey_version, status, misuse, metric)
);

CREATE TABLE figures_points (
    service_point text COLLATE "C" NOT NULL, survey_id text COLLATE "C" NOT NULL, survey_version integer NOT NULL,
    status text COLLATE "C" NOT NULL, misuse boolean NOT NULL, metric text COLLATE "C" NOT NULL,
    n bigint NOT NULL, sat bigint NOT NULL,
    PRIMARY KEY (service_point, survey_id, survey_version, status, misuse, metric)
);
