package settings

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// MaxLinks is the most portal links the welcome screen shows as QR codes.
const MaxLinks = 6

// Problem is one invalid field, with a message an admin understands in
// Vietnamese (Vi) and English (En).
type Problem struct {
	Field string
	Vi    string
	En    string
}

func (p Problem) Error() string { return p.Field + ": " + p.En }

// Validate normalises c's text to NFC in place and returns every problem
// found, joined with errors.Join, each a Problem.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, vi, en string) { errs = append(errs, Problem{Field: field, Vi: vi, En: en}) }
	c.Agency = strings.TrimSpace(norm.NFC.String(c.Agency))
	c.ServicePoint = strings.TrimSpace(norm.NFC.String(c.ServicePoint))
	c.EventTag = strings.TrimSpace(norm.NFC.String(c.EventTag))
	c.ActiveSurvey = strings.TrimSpace(c.ActiveSurvey)
	if c.ServicePoint == "" {
		bad("service_point", "Cần nhập tên điểm phục vụ.", "The service point name is required.")
	}
	// Both are stored on every response: the response's own rules apply,
	// or the kiosk would save answers the hub refuses.
	var p survey.Problem
	if errors.As(survey.CheckServicePoint(c.ServicePoint), &p) {
		bad("service_point", p.Vi, p.En)
	}
	if errors.As(survey.CheckEventTag(c.EventTag), &p) {
		bad("event_tag", p.Vi, p.En)
	}
	if c.ActiveSurvey == "" {
		bad("active_survey", "Cần chọn một khảo sát.", "Choose a survey.")
	}
	rng := func(field string, d, lo, hi time.Duration) {
		if d < lo || d > hi {
			bad(field, fmt.Sprintf("Thời gian phải từ %d đến %d giây.", int(lo.Seconds()), int(hi.Seconds())),
				fmt.Sprintf("Must be between %d and %d seconds.", int(lo.Seconds()), int(hi.Seconds())))
		}
	}
	rng("idle_timeout", c.IdleTimeout, 10*time.Second, 10*time.Minute)
	rng("thank_you_timeout", c.ThankYouTimeout, 2*time.Second, 2*time.Minute)
	rng("misuse_interval", c.MisuseInterval, 0, 10*time.Minute)
	if c.KeepSyncedDays < 0 || c.KeepSyncedDays > MaxKeepSyncedDays {
		bad("keep_synced_days", fmt.Sprintf("Số ngày lưu phải từ 0 (giữ mãi) đến %d.", MaxKeepSyncedDays),
			fmt.Sprintf("Days to keep must be between 0 (keep forever) and %d.", MaxKeepSyncedDays))
	}
	if len(c.Links) > MaxLinks {
		bad("links", fmt.Sprintf("Tối đa %d cổng dịch vụ; hãy bớt %d.", MaxLinks, len(c.Links)-MaxLinks),
			fmt.Sprintf("At most %d links; remove %d.", MaxLinks, len(c.Links)-MaxLinks))
	}
	for i := range c.Links {
		l := &c.Links[i]
		for k, v := range l.Title {
			l.Title[k] = strings.TrimSpace(norm.NFC.String(v))
		}
		field := fmt.Sprintf("links[%d]", i)
		if l.Title.In("vi") == "" {
			bad(field, "Cần nhập tên cổng dịch vụ.", "The link needs a title.")
		}
		u, err := url.Parse(strings.TrimSpace(l.URL))
		if err != nil || u.Scheme != "https" || u.Host == "" {
			bad(field, fmt.Sprintf("Địa chỉ %q không hợp lệ: phải bắt đầu bằng https://", l.URL),
				fmt.Sprintf("Address %q is invalid: it must start with https://", l.URL))
			continue
		}
		l.URL = u.String()
	}
	return errors.Join(errs...)
}
