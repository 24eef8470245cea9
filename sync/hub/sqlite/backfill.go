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
	defs := map[[2]any]*survey.Survey{}
	rows, err := tx.QueryContext(ctx, `SELECT id, version, definition FROM surveys`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var version int
		var def []byte
		if err := rows.Scan(&id, &version, &def); err != nil {
			rows.Close()
			return err
		}
		s, err := survey.Parse(def)
		if err != nil {
			rows.Close()
			return fmt.Errorf("published survey %s v%d no longer parses: %w", id, version, err)
		}
		defs[[2]any{id, version}] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
		if err := addRollup(ctx, tx, batch, false); err != nil {
			return err
		}
		if read < 500 {
			return nil
		}
	}
}
