-- The dashboard's slip figures and the line under them from sums only, as
-- the SQLite store's sql/0020 (docs/reports.md, "Rating slips").

-- Why a slip was flagged, in the rollup: metric rows 'f:unknown',
-- 'f:reused' and 'f:elsewhere' of the existing figures tables, so no table
-- changes. The rows of the responses stored before are added in Go
-- (backfillSlipFlags).

-- The files returned per service point over a period (Store.FileTotals):
-- a covering index in service point order.
CREATE INDEX file_counts_point ON file_counts (service_point, day, files);
