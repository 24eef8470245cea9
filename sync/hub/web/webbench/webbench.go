// Package webbench measures the hub's dashboard page as an admin's
// browser gets it: GET /dashboard over loopback HTTP from a logged-in
// session, on a store that storetest.Fill (or a backend's bulk copy of it)
// filled. The backends' scale benchmarks call it (docs/BENCHMARKS.md,
// "Hub at scale"); it lives apart from storetest because the dashboard's
// own tests import storetest.
package webbench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/hub/web"
)

// Views are the dashboard views measured: unfiltered, one service point
// (typed as the admin types it), one month, one device.
var Views = []struct{ Name, Query string }{
	{"all", ""},
	{"point", "service_point=" + url.QueryEscape("Điểm tiếp nhận số 042")},
	{"month", "from=2026-06-01&to=2026-06-30"},
	{"device", "device=dev-042"},
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// BenchDashboard measures GET /dashboard for each of Views, with the slip
// figures: the table (files returned, slips printed, ratings by channel)
// and the line under it (docs/reports.md, "Rating slips"). It enrolls
// storetest.BenchPoints devices (one per service point, named as the
// operator would) and an admin when the store has none, and records the
// files returned of every day and point of storetest.BenchDays (half as
// many again as the responses of a point's day) when none are, so a cached
// database is reused as it is.
func BenchDashboard(b *testing.B, st hub.Store) {
	ctx := context.Background()
	if err := recordFiles(ctx, st); err != nil {
		b.Fatal(err)
	}
	devs, err := st.Devices(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(devs) == 0 {
		for p := range storetest.BenchPoints {
			d := &hub.Device{ID: fmt.Sprintf("dev-%03d", p), Name: fmt.Sprintf("Kiosk %03d", p),
				ServicePoint: fmt.Sprintf("Điểm tiếp nhận số %03d", p), CreatedAt: time.Now(), CodeExpiresAt: time.Now().Add(time.Hour)}
			if err := st.CreateDevice(ctx, d, []byte(fmt.Sprintf("bench code hash %03d ..............", p))); err != nil {
				b.Fatal(err)
			}
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("mật khẩu đo"), bcrypt.MinCost)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PutAdmin(ctx, "bench", hash, time.Now()); err != nil {
		b.Fatal(err)
	}
	h := hub.New(hub.Config{Store: st})
	d, err := web.New(web.Config{Data: st, Accounts: st, Files: st, SlipPrints: st, Audit: st, AuditLog: st, Devices: h, Publish: h,
		Surveys: func(ctx context.Context) ([]*survey.Survey, error) { return hub.ParsedSurveys(ctx, st) }})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(d)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := fetch(b, c, srv.URL+"/login")
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		b.Fatal("no csrf token on the login page")
	}
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"csrf": {m[1]}, "name": {"bench"}, "password": {"mật khẩu đo"}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		b.Fatalf("login answered %s", resp.Status)
	}
	for _, v := range Views {
		b.Run(v.Name, func(b *testing.B) {
			for b.Loop() {
				body := fetch(b, c, srv.URL+"/dashboard?"+v.Query)
				if !strings.Contains(body, "Điểm tiếp nhận số 042") {
					b.Fatal("the dashboard does not show service point 042")
				}
				if !strings.Contains(body, `id="slip-table"`) || !strings.Contains(body, `id="slip-counts"`) {
					b.Fatal("the dashboard does not show the slip figures")
				}
			}
		})
	}
}

func fetch(b *testing.B, c *http.Client, u string) string {
	b.Helper()
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %s\n%.2000s", u, resp.Status, body)
	}
	return string(body)
}

// recordFiles stores the files returned of every day of storetest.BenchDays
// from 2026-01-01 and every benchmark service point, unless some are.
func recordFiles(ctx context.Context, st hub.Store) error {
	have, err := st.FileCounts(ctx, "", "")
	if err != nil || len(have) > 0 {
		return err
	}
	counts, err := st.DeviceCounts(ctx, hub.Filter{})
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c.Responses
	}
	perDay := total / (storetest.BenchDays * storetest.BenchPoints)
	day0 := time.Date(2026, 1, 1, 0, 0, 0, 0, survey.Location())
	var files []hub.FileCount
	for d := range storetest.BenchDays {
		for p := range storetest.BenchPoints {
			files = append(files, hub.FileCount{Day: day0.AddDate(0, 0, d).Format(hub.DayFormat),
				ServicePoint: fmt.Sprintf("Điểm tiếp nhận số %03d", p), Files: perDay*3/2 + 1 + (d+p)%3})
		}
	}
	return st.PutFileCounts(ctx, files, time.Now())
}
