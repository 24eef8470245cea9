package admin

import (
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/settings"
)

// newTranslator gives the panel's texts from assets/i18n/admin/{vi,en}.json
// in lang ("en", or else Vietnamese).
func newTranslator(lang string) (*i18n.Translator, error) { return i18n.New("admin", lang) }

// l returns the translation of key in the panel's language. Every key is in
// assets/i18n/admin/{vi,en}.json and starts with "admin.".
func (p *Panel) l(key string, data ...any) string { return p.tr.T(key, data...) }

// english reports whether the panel is in English.
func (p *Panel) english() bool { return p.tr.Lang() == "en" }

// problemText is pr's message in the panel's language.
func (p *Panel) problemText(pr settings.Problem) string { return pr.Text(p.tr.Lang()) }

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
