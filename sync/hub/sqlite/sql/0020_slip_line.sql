-- Hub schema, version 20: the dashboard's slip figures and the line under
-- them from sums only (docs/reports.md, "Rating slips").

-- Why a slip was flagged, in the rollup: the line splits the flagged
-- ratings by the slip's status (unknown, reused, elsewhere) as the slip
-- figures table beside it counts them, so that both survive a purge.
-- They are metric rows ('f:unknown', 'f:reused', 'f:elsewhere') of the
-- existing figures tables, so no table changes; the rows of the responses
-- stored before are added in Go (backfillSlipFlags).

-- The files returned per service point over a period (Store.FileTotals),
-- read by every page with the slip figures or the coverage table: a
-- covering index in service point order, so the sums need no sort and
-- read no table row.
CREATE INDEX file_counts_point ON file_counts (service_point, day, files);
