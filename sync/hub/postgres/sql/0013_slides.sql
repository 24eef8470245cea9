-- The slide sets of the kiosks' welcome screens (survey.Slides,
-- hub.Store.PublishSlides), as the SQLite store's sql/0016: every
-- publication kept as published; kiosks pull the highest version.
CREATE TABLE slide_sets (
    version      integer PRIMARY KEY,
    definition   bytea NOT NULL,
    published_at timestamptz NOT NULL,
    published_by text NOT NULL
);
