package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// figuresTable is a table of figures a page downloads as CSV.
type figuresTable struct {
	// Report names the table in the audit log's export entry
	// ("feedback", "help").
	Report string
	// File is the downloaded file's name before its date ("phan-anh").
	File string
	// AuditFailed is the key of the error answered when the export could
	// not be recorded.
	AuditFailed string
	Header      []string
	Rows        [][]string
}

// figuresCSV answers t as CSV, UTF-8 with a byte order mark for
// spreadsheets, named File-YYYY-MM-DD.csv by the hub's day, after
// recording it in the audit log as an export: a table the audit log could
// not record is not sent.
func (d *Dashboard) figuresCSV(w http.ResponseWriter, r *http.Request, sess *session, t figuresTable) {
	if !d.audit(r, sess.admin, hub.AuditExport, url.Values{"format": {"csv"}, "report": {t.Report}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", t.AuditFailed)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	_ = cw.Write(t.Header)
	_ = cw.WriteAll(t.Rows) // a bytes.Buffer does not fail
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+t.File+`-`+d.now().In(survey.Location()).Format("2006-01-02")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}
