package ui

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/hailong-kiosk/hailong/assets"
)

// kioskLangs are the languages the kiosk offers, Vietnamese first (the default).
func kioskLangs() []string { return []string{"vi", "en"} }

// Translator gives the kiosk's texts in one of its languages, switchable at
// run time.
//
// Why not fyne.io/fyne/v2/lang directly: in Fyne v2.7.1 lang keeps one
// package-level localizer chosen from the operating system's locale list;
// there is no exported way to pick or change the language at run time
// (setupLang is unexported), so a citizen could not switch to English and
// back, and a machine with LANG=C.UTF-8 gets English (after logging "Error
// parsing user locale C" from lang's init, before our code runs). So the
// kiosk uses go-i18n, the engine lang wraps, over the same JSON files in the
// format lang.AddTranslationsFS reads (assets/i18n/kiosk/{vi,en}.json): one
// localizer per language, chosen by the citizen, Vietnamese by default and
// never taken from the OS locale. The files stay valid input for lang.
type Translator struct {
	lang string
	loc  map[string]*i18n.Localizer
}

// NewTranslator loads assets/i18n/kiosk and starts in Vietnamese.
func NewTranslator() (*Translator, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &Translator{lang: "vi", loc: map[string]*i18n.Localizer{}}
	for _, l := range kioskLangs() {
		name := "i18n/kiosk/" + l + ".json"
		data, err := fs.ReadFile(assets.I18n, name)
		if err != nil {
			return nil, fmt.Errorf("load translations: %w", err)
		}
		if _, err := b.ParseMessageFileBytes(data, l+".json"); err != nil {
			return nil, fmt.Errorf("load translations %s: %w", name, err)
		}
		t.loc[l] = i18n.NewLocalizer(b, l)
	}
	return t, nil
}

// Lang returns the current language code.
func (t *Translator) Lang() string { return t.lang }

// SetLang switches to lang ("vi" or "en"); other values select Vietnamese.
func (t *Translator) SetLang(lang string) {
	if _, ok := t.loc[lang]; !ok {
		lang = "vi"
	}
	t.lang = lang
}

// Other returns the language the toggle switches to.
func (t *Translator) Other() string {
	if t.lang == "vi" {
		return "en"
	}
	return "vi"
}

// T returns the text of key in the current language, filled from data (a
// map or struct for the template). A missing key returns the key itself, so
// a gap shows up in screenshots and tests instead of an empty button.
func (t *Translator) T(key string, data ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := t.loc[t.lang].Localize(cfg)
	if err != nil {
		return key
	}
	return s
}
