package settings

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// fields returns the Field of every Problem in err.
func fields(err error) []string {
	var out []string
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range m.Unwrap() {
			var p Problem
			if errors.As(e, &p) {
				out = append(out, p.Field)
			}
		}
	}
	return out
}

func TestValidate(t *testing.T) {
	link := func(url string) Link { return Link{Title: survey.Text{"vi": "Cổng"}, URL: url} }
	for _, tc := range []struct {
		name   string
		change func(c *Config)
		want   []string
	}{
		{"default", func(*Config) {}, nil},
		{"no service point", func(c *Config) { c.ServicePoint = "  " }, []string{"service_point"}},
		// The limits of survey.CheckResponse: what is stored on every
		// response must be what the hub takes.
		{"200-char service point", func(c *Config) { c.ServicePoint = strings.Repeat("ư", 200) }, nil},
		{"280-char service point", func(c *Config) { c.ServicePoint = strings.Repeat("Phường ", 40) + "x" }, []string{"service_point"}},
		{"201-char event tag", func(c *Config) { c.EventTag = strings.Repeat("a", 201) }, []string{"event_tag"}},
		{"bad utf-8 event tag", func(c *Config) { c.EventTag = "ca s\xe1ng" }, []string{"event_tag"}},
		{"no survey", func(c *Config) { c.ActiveSurvey = "" }, []string{"active_survey"}},
		{"idle 9s", func(c *Config) { c.IdleTimeout = 9 * time.Second }, []string{"idle_timeout"}},
		{"idle 10s", func(c *Config) { c.IdleTimeout = 10 * time.Second }, nil},
		{"idle 600s", func(c *Config) { c.IdleTimeout = 600 * time.Second }, nil},
		{"idle 601s", func(c *Config) { c.IdleTimeout = 601 * time.Second }, []string{"idle_timeout"}},
		{"thanks 1s", func(c *Config) { c.ThankYouTimeout = time.Second }, []string{"thank_you_timeout"}},
		{"misuse 0 (off)", func(c *Config) { c.MisuseInterval = 0 }, nil},
		{"misuse negative", func(c *Config) { c.MisuseInterval = -time.Second }, []string{"misuse_interval"}},
		{"http link", func(c *Config) { c.Links = []Link{link("http://a.vn")} }, []string{"links[0]"}},
		{"link without host", func(c *Config) { c.Links = []Link{link("https://")} }, []string{"links[0]"}},
		{"link without title", func(c *Config) { c.Links = []Link{{URL: "https://a.vn"}} }, []string{"links[0]"}},
		{"no links", func(c *Config) { c.Links = nil }, nil},
		{"keep synced 0 (forever)", func(c *Config) { c.KeepSyncedDays = 0 }, nil},
		{"keep synced 3650 days", func(c *Config) { c.KeepSyncedDays = MaxKeepSyncedDays }, nil},
		{"keep synced 3651 days", func(c *Config) { c.KeepSyncedDays = MaxKeepSyncedDays + 1 }, []string{"keep_synced_days"}},
		{"keep synced negative", func(c *Config) { c.KeepSyncedDays = -1 }, []string{"keep_synced_days"}},
		{"6 links", func(c *Config) {
			c.Links = nil
			for range MaxLinks {
				c.Links = append(c.Links, link("https://a.vn"))
			}
		}, nil},
		{"7 links", func(c *Config) {
			c.Links = nil
			for range MaxLinks + 1 {
				c.Links = append(c.Links, link("https://a.vn"))
			}
		}, []string{"links"}},
		{"every problem at once", func(c *Config) {
			c.ServicePoint, c.ActiveSurvey, c.IdleTimeout = "", "", 0
			c.Links = []Link{link("https://ok.vn"), link("ftp://x")}
		}, []string{"service_point", "active_survey", "idle_timeout", "links[1]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.change(&c)
			err := c.Validate()
			got := fields(err)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("problems %v (%v); want %v", got, err, tc.want)
			}
			if m, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range m.Unwrap() {
					var p Problem
					if !errors.As(e, &p) {
						t.Fatalf("%v is not a Problem", e)
					}
					vi, en := p.Text("vi"), p.Text("en")
					if vi == "" || en == "" || vi == en || (p.Rule == nil && (vi == p.Key || en == p.Key)) {
						t.Errorf("problem %v lacks a Vietnamese or English message: %q, %q", e, vi, en)
					}
				}
			}
		})
	}
}

func TestValidateNormalises(t *testing.T) {
	c := Default()
	nfd := "Bo\u0302\u0323 pha\u0323\u0302n Mo\u0323\u0302t cu\u031b\u0309a" // "Bộ phận Một cửa" decomposed
	c.ServicePoint = "  " + nfd + " "
	c.Links[0].Title["vi"] = nfd
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.ServicePoint != "Bộ phận Một cửa" || c.Links[0].Title["vi"] != "Bộ phận Một cửa" {
		t.Fatalf("not NFC and trimmed: %q, %q", c.ServicePoint, c.Links[0].Title["vi"])
	}
}

type memKV map[string]string

func (m memKV) Setting(_ context.Context, k string) (string, bool, error) {
	v, ok := m[k]
	return v, ok, nil
}

func (m memKV) SetSettings(_ context.Context, p map[string]string) error {
	maps.Copy(m, p)
	return nil
}

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	kv := memKV{}
	c, err := Load(ctx, kv)
	if err != nil {
		t.Fatal(err)
	}
	if c.ServicePoint != Default().ServicePoint || len(c.Links) != len(DefaultLinks()) {
		t.Fatalf("fresh Load = %+v; want the defaults", c)
	}
	c.ServicePoint = "Điểm tiếp nhận phường Hoàn Kiếm"
	c.IdleTimeout = 90 * time.Second
	c.EventTag = "KCN Thăng Long – ca sáng"
	if !c.MaskDigits {
		t.Fatal("digit masking is off by default; want on")
	}
	c.MaskDigits = false
	c.KeepSyncedDays = 180
	c.Links = c.Links[:1]
	if err := Save(ctx, kv, c); err != nil {
		t.Fatal(err)
	}
	got, err := Load(ctx, kv)
	if err != nil {
		t.Fatal(err)
	}
	if got.ServicePoint != c.ServicePoint || got.IdleTimeout != c.IdleTimeout || got.EventTag != c.EventTag ||
		got.MaskDigits || got.KeepSyncedDays != 180 || len(got.Links) != 1 || got.Links[0].URL != c.Links[0].URL {
		t.Fatalf("Load after Save = %+v; want %+v", got, c)
	}
	// A link saved without an English title loads without one (not with
	// the English title of the default link at the same place).
	c.Links = []Link{{Title: survey.Text{"vi": "Sở Văn hoá và Thể thao"}, URL: "https://sovhtt.hanoi.gov.vn"}}
	if err := Save(ctx, kv, c); err != nil {
		t.Fatal(err)
	}
	if got, err = Load(ctx, kv); err != nil || len(got.Links) != 1 || len(got.Links[0].Title) != 1 {
		t.Fatalf("Load = %+v, %v; want the one link with only a Vietnamese title", got.Links, err)
	}
	kv[KeyLinks] = "[]"
	if got, err = Load(ctx, kv); err != nil || len(got.Links) != 0 {
		t.Fatalf("Load of an empty list = %+v, %v; want no links", got.Links, err)
	}
	bad := got
	bad.ServicePoint = ""
	if err := Save(ctx, kv, bad); err == nil {
		t.Fatal("Save accepted an invalid configuration")
	}
	if again, _ := Load(ctx, kv); again.ServicePoint != c.ServicePoint {
		t.Fatal("an invalid Save changed the stored configuration")
	}
	kv[KeyIdleTimeout] = "soon"
	if _, err := Load(ctx, kv); err == nil {
		t.Fatal("Load accepted a non-number timeout")
	}
}

func TestSyncedCut(t *testing.T) {
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	c := Default()
	if !c.SyncedCut(now).IsZero() {
		t.Errorf("a fresh kiosk deletes before %v; want it to keep forever", c.SyncedCut(now))
	}
	c.KeepSyncedDays = 30
	if got, want := c.SyncedCut(now), time.Date(2026, 10, 26, 3, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("SyncedCut = %v, want %v", got, want)
	}
}

// TestProblemText: a problem's message is rendered from the catalog with its
// arguments, in either language.
func TestProblemText(t *testing.T) {
	c := Default()
	c.IdleTimeout = time.Second
	c.Links = []Link{{Title: survey.Text{"vi": "Cổng"}, URL: "http://a.vn/\n"}}
	ps := map[string]Problem{}
	if m, ok := c.Validate().(interface{ Unwrap() []error }); ok {
		for _, e := range m.Unwrap() {
			var p Problem
			if errors.As(e, &p) {
				ps[p.Field] = p
			}
		}
	}
	for _, tc := range []struct{ field, lang, want string }{
		{"idle_timeout", "vi", "Thời gian phải từ 10 đến 600 giây."},
		{"idle_timeout", "en", "Must be between 10 and 600 seconds."},
		{"links[0]", "vi", `Địa chỉ "http://a.vn/\n" không hợp lệ: phải bắt đầu bằng https://`},
		{"links[0]", "en", `Address "http://a.vn/\n" is invalid: it must start with https://`},
	} {
		if got := ps[tc.field].Text(tc.lang); got != tc.want {
			t.Errorf("%s in %s: %q, want %q", tc.field, tc.lang, got, tc.want)
		}
	}
	if got := ps["idle_timeout"].Error(); got != "idle_timeout: Must be between 10 and 600 seconds." {
		t.Errorf("Error() = %q", got)
	}
}
