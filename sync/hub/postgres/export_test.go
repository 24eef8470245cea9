package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
	"github.com/jackc/pgx/v5"
)

// randomText is text as people type it into a comment box, and worse:
// Vietnamese, commas, quotes, line breaks (LF and CRLF), backslashes,
// tabs, U+2028, a leading space or formula sign.
func randomText(rng *rand.Rand) string {
	parts := []string{"Cán bộ", " hướng dẫn", " tận tình", ",", `"`, `""`, "\n", "\r\n", `\`, "\t", "\u2028",
		" ", "=1+1", "Đ", "ư", "ờ", "ng", "phải chờ", "…", "'", ";", "😀", "a", "1"}
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()
}

// storeRandom stores n random responses to storetest.BenchSurvey, in
// versions 1, 2 and 3 of the content, with random text in the comment,
// the service point, the event tag and the misuse reason.
func storeRandom(t *testing.T, s *postgres.Store, n int, seed byte) *survey.Survey {
	t.Helper()
	ctx := context.Background()
	def := storetest.Fill(t, s, 1)
	src := rand.NewChaCha8([32]byte{byte(seed)})
	rng := rand.New(src)
	codes := []string{"rhl", "hl", "bt", "khl", "rkhl"}
	day0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var batch []hub.Incoming
	for i := range n {
		start := day0.Add(time.Duration(rng.IntN(90*24*3600)) * time.Second).Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		r := &survey.Response{
			ID: fmt.Sprintf("019abcde-f012-7345-a000-%012x", i), SurveyID: "sipas", SurveyVersion: 1,
			Answers: survey.Answers{}, StartedAt: start, FinishedAt: start.Add(time.Duration(rng.IntN(600)) * time.Second),
			ServicePoint: "Phường " + randomText(rng), DeviceID: fmt.Sprintf("dev-%d", rng.IntN(5)), Lang: "vi",
			Status: survey.StatusComplete,
		}
		if rng.IntN(4) == 0 {
			r.Status, r.Misuse, r.MisuseReason, r.EventTag, r.Assisted = survey.StatusAbandoned, true, randomText(rng), randomText(rng), rng.IntN(2) == 0
		}
		for _, q := range []string{"tc", "tt", "cc", "kq", "pa"} {
			if rng.IntN(6) > 0 {
				r.Answers[q] = []string{codes[rng.IntN(len(codes))]}
			}
		}
		if rng.IntN(2) == 0 {
			r.Answers["gy"] = []string{randomText(rng)}
		}
		in, err := hub.NewIncoming(def, r, make([]byte, 64))
		if err != nil {
			t.Fatal(err)
		}
		switch v1 := protocol.NewResponseV1(in.Response); i % 3 {
		case 1:
			in.Seq = int64(i + 1)
			in.Content, err = protocol.CanonicalV2(v1, in.Seq)
		case 2:
			var code slip.Code
			if code, err = slip.New(src); err == nil {
				in.Seq, in.Slip, in.Response.Slip = int64(i+1), code.Compact(), code.Compact()
				in.Content, err = protocol.CanonicalV3(v1, in.Seq, in.Slip)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if batch = append(batch, in); len(batch) == 100 || i == n-1 {
			if _, err := s.Ingest(ctx, batch, time.Now()); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return def
}

// referenceResponses is the plain read path the store's Responses must
// equal: every stored content in order, through encoding/json.
func referenceResponses(t *testing.T, url string) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		rows, err := conn.Query(context.Background(), `SELECT content FROM responses ORDER BY started_at, id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var content []byte
			var r survey.Response
			if err := rows.Scan(&content); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(content, &r); err != nil {
				t.Fatal(err)
			}
			if !yield(&r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExportCSVEqualsReference checks the export's fast read path
// (decodeCanonical, pages read ahead, content from the driver's buffer)
// against the plain one: the CSV files are byte-equal, over both the
// extended protocol (bytea in binary) and the simple protocol (in text).
func TestExportCSVEqualsReference(t *testing.T) {
	const n = 2500 // several pages
	url := cluster.NewDatabase(t)
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	def := storeRandom(t, s, n, 7)
	opt := export.Options{Surveys: []*survey.Survey{def}}
	var want bytes.Buffer
	if got, err := export.WriteCSV(context.Background(), &want, referenceResponses(t, url), opt); err != nil || got != n+1 {
		t.Fatalf("reference wrote %d rows: %v", got, err)
	}
	if !strings.Contains(want.String(), "\"\"") || !strings.Contains(want.String(), "tận tình") {
		t.Fatal("the random data has no quotes or no Vietnamese text")
	}
	for _, mode := range []string{"", "?default_query_exec_mode=simple_protocol"} {
		t.Run("mode="+mode, func(t *testing.T) {
			u := url
			if mode != "" {
				u = strings.Replace(url, "?", mode+"&", 1)
			}
			st, err := postgres.Open(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var got bytes.Buffer
			if _, err := export.WriteCSV(context.Background(), &got, st.Responses(context.Background(), hub.Filter{}), opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				g, w := strings.Split(got.String(), "\r\n"), strings.Split(want.String(), "\r\n")
				for i := range min(len(g), len(w)) {
					if g[i] != w[i] {
						t.Fatalf("line %d differs:\n got %q\nwant %q", i, g[i], w[i])
					}
				}
				t.Fatalf("%d lines, want %d", len(g), len(w))
			}
		})
	}
}

// TestResponsesEarlyStopReleases checks that a caller who stops in the
// middle of a page leaves no read ahead running: every connection is back
// in the pool when the loop ends.
func TestResponsesEarlyStopReleases(t *testing.T) {
	s := openStore(t)
	storeRandom(t, s, 2500, 8)
	for _, stop := range []int{1, 999, 1000, 1001, 2001} {
		seen := 0
		for _, err := range s.Responses(context.Background(), hub.Filter{}) {
			if err != nil {
				t.Fatal(err)
			}
			if seen++; seen == stop {
				break
			}
		}
		if seen != stop {
			t.Fatalf("stopped after %d, want %d", seen, stop)
		}
		if n := s.ReadPool().Stat().AcquiredConns(); n != 0 {
			t.Fatalf("after stopping at %d, %d connections are still taken", stop, n)
		}
	}
}
