-- Hub schema, version 20: why a slip was flagged, in the rollup
-- (docs/reports.md, "Rating slips").

-- The dashboard's line on slip ratings splits the flagged ones by the
-- slip's status (unknown, reused, elsewhere) from the rollup, as the slip
-- figures table beside it counts them, so that both survive a purge.
-- They are metric rows ('f:unknown', 'f:reused', 'f:elsewhere') of the
-- existing figures tables, so no table changes; the rows of the responses
-- stored before are added in Go (backfillSlipFlags).
