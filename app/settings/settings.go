// Package settings holds the kiosk's configuration (service point, active
// survey, timeouts, portal links) and reads and writes it through a small
// key/value interface that the store implements. It has no Fyne and no SQL.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// KV is durable key/value storage; app/store implements it.
type KV interface {
	// Setting returns the value stored under key and whether it exists.
	Setting(ctx context.Context, key string) (string, bool, error)
	// SetSettings stores every pair in one transaction.
	SetSettings(ctx context.Context, pairs map[string]string) error
}

// Link is a portal shown as a QR code.
type Link struct {
	// Title is the caption under the code, in vi and en.
	Title survey.Text `json:"title"`
	// URL is what the code encodes (https only).
	URL string `json:"url"`
}

// Config is the kiosk configuration an admin can change.
type Config struct {
	// Agency is the agency's name on the welcome screen.
	Agency string
	// ServicePoint is the desk or outreach place stored on every response.
	ServicePoint string
	// ActiveSurvey is the id of the survey the welcome screen starts.
	ActiveSurvey string
	// IdleTimeout returns an untouched survey to the welcome screen.
	IdleTimeout time.Duration
	// ThankYouTimeout is how long the thank-you screen stays.
	ThankYouTimeout time.Duration
	// MisuseInterval flags a survey started this soon after the previous one.
	MisuseInterval time.Duration
	// Links are the portals shown as QR codes.
	Links []Link
	// EventTag is the outreach event stored on every response; empty at a desk.
	EventTag string
	// MaskDigits hides runs of 6 or more digits (phone and ID numbers) in
	// free-text comments before they are saved.
	MaskDigits bool
	// KeepSyncedDays is how many days after it started a response the hub
	// holds is kept on the kiosk (store.DeleteSynced), and a feedback case
	// after it was written (store.DeleteSyncedFeedback); 0 keeps forever.
	// Responses and cases not yet synced are never deleted.
	KeepSyncedDays int
}

// Setting keys.
const (
	KeyAgency          = "agency"
	KeyServicePoint    = "service_point"
	KeyActiveSurvey    = "active_survey"
	KeyIdleTimeout     = "idle_timeout_s"
	KeyThankYouTimeout = "thank_you_timeout_s"
	KeyMisuseInterval  = "misuse_interval_s"
	KeyLinks           = "links"
	KeyEventTag        = "event_tag"
	KeyMaskDigits      = "mask_digits"
	KeyKeepSyncedDays  = "keep_synced_days"
)

// MaxKeepSyncedDays is the longest retention the admin panel takes (ten
// years); longer is "keep forever" (0).
const MaxKeepSyncedDays = 3650

// Default is the configuration of a fresh kiosk.
func Default() Config {
	return Config{
		Agency:          "Trung tâm Phục vụ hành chính công Hà Nội",
		ServicePoint:    "Bộ phận Một cửa",
		ActiveSurvey:    "mot-cua-nhanh",
		IdleTimeout:     45 * time.Second,
		ThankYouTimeout: 8 * time.Second,
		MisuseInterval:  5 * time.Second,
		Links:           DefaultLinks(),
		MaskDigits:      true,
	}
}

// DefaultLinks are the portals from DOMAIN.md.
func DefaultLinks() []Link {
	return []Link{
		{Title: survey.Text{"vi": "Dịch vụ công Hà Nội", "en": "Hanoi public services"}, URL: "https://dichvucong.hanoi.gov.vn"},
		{Title: survey.Text{"vi": "Cổng Dịch vụ công quốc gia", "en": "National public service portal"}, URL: "https://dichvucong.gov.vn"},
		{Title: survey.Text{"vi": "Trung tâm Phục vụ hành chính công", "en": "Public Administration Service Centre"}, URL: "https://ttpvhcc.hanoi.gov.vn"},
	}
}

// SyncedCut is the start time before which synced responses are deleted
// at now (store.DeleteSynced), or zero when c keeps them forever.
func (c Config) SyncedCut(now time.Time) time.Time {
	if c.KeepSyncedDays <= 0 {
		return time.Time{}
	}
	return now.AddDate(0, 0, -c.KeepSyncedDays)
}

// Load reads the configuration, using defaults for keys never set.
func Load(ctx context.Context, kv KV) (Config, error) {
	c := Default()
	str := func(key string, dst *string) error {
		v, ok, err := kv.Setting(ctx, key)
		if err != nil {
			return fmt.Errorf("load setting %s: %w", key, err)
		}
		if ok {
			*dst = v
		}
		return nil
	}
	secs := func(key string, dst *time.Duration) error {
		var s string
		if err := str(key, &s); err != nil || s == "" {
			return err
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("load setting %s: %q is not a number of seconds", key, s)
		}
		*dst = time.Duration(n) * time.Second
		return nil
	}
	var links, mask, keep string
	for _, err := range []error{
		str(KeyMaskDigits, &mask), str(KeyKeepSyncedDays, &keep),
		str(KeyAgency, &c.Agency), str(KeyServicePoint, &c.ServicePoint),
		str(KeyActiveSurvey, &c.ActiveSurvey), str(KeyEventTag, &c.EventTag),
		secs(KeyIdleTimeout, &c.IdleTimeout), secs(KeyThankYouTimeout, &c.ThankYouTimeout),
		secs(KeyMisuseInterval, &c.MisuseInterval), str(KeyLinks, &links),
	} {
		if err != nil {
			return Config{}, err
		}
	}
	if mask != "" {
		c.MaskDigits = mask == "1"
	}
	if keep != "" {
		n, err := strconv.Atoi(keep)
		if err != nil {
			return Config{}, fmt.Errorf("load setting %s: %q is not a number of days", KeyKeepSyncedDays, keep)
		}
		c.KeepSyncedDays = n
	}
	if links != "" {
		// Into a fresh slice: unmarshalling over the default links would
		// merge their titles' maps into the stored ones.
		var stored []Link
		if err := json.Unmarshal([]byte(links), &stored); err != nil {
			return Config{}, fmt.Errorf("load setting %s: %w", KeyLinks, err)
		}
		c.Links = stored
	}
	return c, nil
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Save validates c and stores all of it in one transaction.
func Save(ctx context.Context, kv KV, c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	links, err := json.Marshal(c.Links)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	s := func(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }
	if err := kv.SetSettings(ctx, map[string]string{
		KeyAgency: c.Agency, KeyServicePoint: c.ServicePoint, KeyActiveSurvey: c.ActiveSurvey,
		KeyEventTag: c.EventTag, KeyIdleTimeout: s(c.IdleTimeout), KeyThankYouTimeout: s(c.ThankYouTimeout),
		KeyMisuseInterval: s(c.MisuseInterval), KeyLinks: string(links), KeyMaskDigits: flag(c.MaskDigits),
		KeyKeepSyncedDays: strconv.Itoa(c.KeepSyncedDays),
	}); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// Edits returns cur with the fields in which edited differs from base
// taken from edited: what a form loaded as base and changed to edited,
// applied over what is stored now, so that a setting changed elsewhere
// since the form was loaded (the links tab, enrollment taking the hub's
// service point) is kept unless the form changed it too.
func Edits(base, edited, cur Config) Config {
	b, e, c := reflect.ValueOf(base), reflect.ValueOf(edited), reflect.ValueOf(&cur).Elem()
	for i := range b.NumField() {
		if !reflect.DeepEqual(b.Field(i).Interface(), e.Field(i).Interface()) {
			c.Field(i).Set(e.Field(i))
		}
	}
	return cur
}
