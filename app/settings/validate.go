package settings

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// MaxLinks is the most portal links the welcome screen shows as QR codes.
const MaxLinks = 6

// Problem is one invalid field. Its message is Key in the catalog's
// settings area (assets/i18n/settings), filled from Args; Text renders it.
type Problem struct {
	Field string
	Key   string
	Args  map[string]any
	// Rule, when not nil, is the response's own rule the field breaks (as
	// app/survey checks a service point or an event tag); its message
	// stands in for Key's.
	Rule *survey.Problem
}

// Text returns p's message in lang ("en", or else Vietnamese).
func (p Problem) Text(lang string) string {
	if p.Rule != nil {
		return p.Rule.Text(lang)
	}
	cat, _ := i18n.Shared("settings") // a nil catalog gives the key
	return cat.In(lang).T(p.Key, p.Args)
}

func (p Problem) Error() string { return p.Field + ": " + p.Text("en") }

// Validate normalises c's text to NFC in place and returns every problem
// found, joined with errors.Join, each a Problem.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, key string, args map[string]any) {
		errs = append(errs, Problem{Field: field, Key: key, Args: args})
	}
	c.Agency = strings.TrimSpace(norm.NFC.String(c.Agency))
	c.ServicePoint = strings.TrimSpace(norm.NFC.String(c.ServicePoint))
	c.EventTag = strings.TrimSpace(norm.NFC.String(c.EventTag))
	c.ActiveSurvey = strings.TrimSpace(c.ActiveSurvey)
	if c.ServicePoint == "" {
		bad("service_point", "settings.problem.service_point_required", nil)
	}
	// Both are stored on every response: the response's own rules apply,
	// or the kiosk would save answers the hub refuses.
	rule := func(field string, err error) {
		var p survey.Problem
		if errors.As(err, &p) {
			errs = append(errs, Problem{Field: field, Rule: &p})
		}
	}
	rule("service_point", survey.CheckServicePoint(c.ServicePoint))
	rule("event_tag", survey.CheckEventTag(c.EventTag))
	if c.ActiveSurvey == "" {
		bad("active_survey", "settings.problem.survey_required", nil)
	}
	rng := func(field string, d, lo, hi time.Duration) {
		if d < lo || d > hi {
			bad(field, "settings.problem.seconds_range", map[string]any{"Min": int(lo.Seconds()), "Max": int(hi.Seconds())})
		}
	}
	rng("idle_timeout", c.IdleTimeout, 10*time.Second, 10*time.Minute)
	rng("thank_you_timeout", c.ThankYouTimeout, 2*time.Second, 2*time.Minute)
	rng("misuse_interval", c.MisuseInterval, 0, 10*time.Minute)
	if c.KeepSyncedDays < 0 || c.KeepSyncedDays > MaxKeepSyncedDays {
		bad("keep_synced_days", "settings.problem.keep_days_range", map[string]any{"Max": MaxKeepSyncedDays})
	}
	if len(c.Links) > MaxLinks {
		bad("links", "settings.problem.too_many_links", map[string]any{"Max": MaxLinks, "Extra": len(c.Links) - MaxLinks})
	}
	for i := range c.Links {
		l := &c.Links[i]
		for k, v := range l.Title {
			l.Title[k] = strings.TrimSpace(norm.NFC.String(v))
		}
		field := fmt.Sprintf("links[%d]", i)
		if l.Title.In("vi") == "" {
			bad(field, "settings.problem.link_title_required", nil)
		}
		u, err := url.Parse(strings.TrimSpace(l.URL))
		if err != nil || u.Scheme != "https" || u.Host == "" {
			// Quoted as Go does, so a space or a control character shows.
			bad(field, "settings.problem.link_url_invalid", map[string]any{"URL": strconv.Quote(l.URL)})
			continue
		}
		l.URL = u.String()
	}
	return errors.Join(errs...)
}
