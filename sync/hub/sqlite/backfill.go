package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// backfillFigures adds every stored response to the figures rollup, as
// Ingest would have, reading the responses in pages of 500: the Go part of
// sql/0006_figures.sql (afterStep), for a hub database from before it,
// which has responses but no rollup.
func backfillFigures(ctx context.Context, tx *sql.Tx) error {
	defs, err := publishedIn(ctx, tx)
	if err != nil {
		return err
	}
	last := ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, content FROM responses WHERE id > ? ORDER BY id LIMIT 500`, last)
		if err != nil {
			return err
		}
		var batch []hub.Incoming
		read := 0
		for rows.Next() {
			var id string
			var content []byte
			if err := rows.Scan(&id, &content); err != nil {
				rows.Close()
				return err
			}
			read++
			last = id
			var r survey.Response
			if err := json.Unmarshal(content, &r); err != nil {
				rows.Close()
				return fmt.Errorf("response %s: stored content: %w", id, err)
			}
			if s := defs[[2]any{r.SurveyID, r.SurveyVersion}]; s != nil {
				batch = append(batch, hub.Incoming{Response: &r, Figures: report.CellOf(s, &r)})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := addRollupRows(ctx, tx, hub.RollupRows(batch), coarseSums); err != nil {
			return err
		}
		if read < 500 {
			return nil
		}
	}
}

// publishedIn parses every published survey version in tx, by id and
// version.
func publishedIn(ctx context.Context, tx *sql.Tx) (map[[2]any]*survey.Survey, error) {
	defs := map[[2]any]*survey.Survey{}
	rows, err := tx.QueryContext(ctx, `SELECT id, version, definition FROM surveys`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var version int
		var def []byte
		if err := rows.Scan(&id, &version, &def); err != nil {
			return nil, err
		}
		s, err := survey.Parse(def)
		if err != nil {
			return nil, fmt.Errorf("published survey %s v%d no longer parses: %w", id, version, err)
		}
		defs[[2]any{id, version}] = s
	}
	return defs, rows.Err()
}

// backfillSlipFigures adds the slip channel rows (hub.SlipChannelRows) of
// every stored response that carried a slip to the rollup: the Go part of
// sql/0014_slip_figures.sql, for the responses accepted before the rollup
// counted channels. (Purged responses are gone and stay counted without a
// slip.)
func backfillSlipFigures(ctx context.Context, tx *sql.Tx) error {
	return backfillSlipRows(ctx, tx, "", hub.SlipChannelRows)
}

// backfillSlipFlags adds the reason rows (hub.SlipFlagRows) of every stored
// response whose slip was flagged to the rollup: the Go part of
// sql/0020_slip_line.sql, for the responses accepted before the rollup
// kept why a slip was flagged. (Purged responses are gone: their flagged
// ratings stay counted as flagged, without a reason.)
func backfillSlipFlags(ctx context.Context, tx *sql.Tx) error {
	return backfillSlipRows(ctx, tx, `rs.slip_status IN ('unknown', 'reused', 'elsewhere') AND `, hub.SlipFlagRows)
}

// backfillSlipRows adds rowsOf the stored responses that carried a slip
// (and meet cond, "" or conditions ending in AND) to the rollup, reading
// them in pages of 500.
func backfillSlipRows(ctx context.Context, tx *sql.Tx, cond string, rowsOf func([]hub.Incoming) []hub.RollupRow) error {
	defs, err := publishedIn(ctx, tx)
	if err != nil {
		return err
	}
	last := ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT r.id, r.content, rs.slip_status FROM responses r
			JOIN response_slips rs ON rs.response_id = r.id WHERE `+cond+`r.id > ? ORDER BY r.id LIMIT 500`, last)
		if err != nil {
			return err
		}
		var batch []hub.Incoming
		read := 0
		for rows.Next() {
			var id, status string
			var content []byte
			if err := rows.Scan(&id, &content, &status); err != nil {
				rows.Close()
				return err
			}
			read++
			last = id
			r, err := decodeContent(id, content)
			if err != nil {
				rows.Close()
				return err
			}
			if s := defs[[2]any{r.SurveyID, r.SurveyVersion}]; s != nil {
				batch = append(batch, hub.Incoming{Response: r, Figures: report.CellOf(s, r), SlipStatus: hub.SlipStatus(status)})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := addRollupRows(ctx, tx, rowsOf(batch), monthSums); err != nil {
			return err
		}
		if read < 500 {
			return nil
		}
	}
}
