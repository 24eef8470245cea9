package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/assets"
)

// Languages of the panel; Vietnamese is the default.
var panelLangs = [...]string{"vi", "en"}

// translator gives the panel's texts from assets/i18n/admin/{vi,en}.json
// (the format of Fyne's lang.AddTranslationsFS). Like app/ui it uses
// go-i18n directly, because Fyne's lang takes its language from the
// operating system's locale and cannot be told which one to use.
type translator struct {
	lang string
	loc  *i18n.Localizer
}

func newTranslator(lang string) (*translator, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range panelLangs {
		name := "i18n/admin/" + l + ".json"
		data, err := fs.ReadFile(assets.I18n, name)
		if err != nil {
			return nil, fmt.Errorf("load admin translations: %w", err)
		}
		if _, err := b.ParseMessageFileBytes(data, l+".json"); err != nil {
			return nil, fmt.Errorf("load admin translations %s: %w", name, err)
		}
	}
	if lang != "en" {
		lang = "vi"
	}
	return &translator{lang: lang, loc: i18n.NewLocalizer(b, lang)}, nil
}

// T returns the text of key filled from data (a map for the template); a
// missing key returns the key itself, so a gap shows in tests.
func (t *translator) T(key string, data ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return key
	}
	return s
}

// l returns the translation of key in the panel's language. Every key is in
// assets/i18n/admin/{vi,en}.json and starts with "admin.".
func (p *Panel) l(key string, data ...any) string { return p.tr.T(key, data...) }

// english reports whether the panel is in English.
func (p *Panel) english() bool { return p.tr.lang == "en" }

// problemText is pr's message in the panel's language; settings.Problem
// carries both.
func (p *Panel) problemText(pr settings.Problem) string {
	if p.english() {
		return pr.En
	}
	return pr.Vi
}

// problems splits an error from settings.Validate into its Problems.
func problems(err error) []settings.Problem {
	var out []settings.Problem
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if m, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range m.Unwrap() {
				walk(x)
			}
			return
		}
		var pr settings.Problem
		if errors.As(e, &pr) {
			out = append(out, pr)
		}
	}
	walk(err)
	return out
}

// clockText formats a remaining time as mm:ss, rounding up so that the
// screen never shows 00:00 while still locked.
func clockText(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}
