-- Hub schema, version 14: the slide sets of the kiosks' welcome screens
-- (survey.Slides, hub.Store.PublishSlides). Every publication is kept, as
-- published; kiosks pull the newest (the highest version).
CREATE TABLE slide_sets (
    version      INTEGER PRIMARY KEY,  -- 1, 2, ... in publication order
    definition   BLOB NOT NULL,        -- the JSON exactly as published
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL         -- the admin's name
) STRICT;
