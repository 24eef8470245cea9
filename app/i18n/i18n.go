// Package i18n is the one translation catalog of the kiosk and the hub: the
// files assets/i18n/<area>/{vi,en}.json, one area per part
// (assets/i18n/README.md lists them), with the same keys in both languages.
// Vietnamese comes first and is the default. Code that finds a problem
// outside a screen (settings, XLSForm import, start-up, sync) hands out a
// key and its arguments, and the screen, command or page that shows it
// renders them here.
//
// Why not fyne.io/fyne/v2/lang directly: in Fyne v2.7.1 lang keeps one
// package-level localizer chosen from the operating system's locale list;
// there is no exported way to pick or change the language at run time
// (setupLang is unexported), so a citizen could not switch to English and
// back, and a machine with LANG=C.UTF-8 gets English (after logging "Error
// parsing user locale C" from lang's init, before our code runs). So the
// kiosk uses go-i18n, the engine lang wraps, over the same JSON files in the
// format lang.AddTranslationsFS reads: one localizer per language, chosen by
// the user, Vietnamese by default and never taken from the OS locale. The
// files stay valid input for lang.
//
// The package does not import Fyne.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/hailong-kiosk/hailong/assets"
)

// Langs returns the languages every area is translated into, Vietnamese
// first (the default).
func Langs() []string { return []string{"vi", "en"} }

// Catalog holds one area's texts in every language of Langs. It is not
// changed after Load, so Translators over it may be used independently, from
// any goroutine. A nil Catalog gives Translators that give keys back.
type Catalog struct {
	area   string
	plural bool
	loc    map[string]*goi18n.Localizer
}

// Option changes how a Catalog localizes.
type Option func(*Catalog)

// CountPlural makes a "Count" entry in a map[string]any template data pick
// the plural form ("one", "other") where the language has one. Without it
// every message uses its "other" form. With it, a message that lacks the
// form the count asks for (an English plain string given a Count of 1)
// gives its key, as any failed lookup does.
func CountPlural() Option { return func(c *Catalog) { c.plural = true } }

// Load reads assets/i18n/<area>/{vi,en}.json.
func Load(area string, opts ...Option) (*Catalog, error) {
	b := goi18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{area: area, loc: map[string]*goi18n.Localizer{}}
	for _, o := range opts {
		o(c)
	}
	for _, l := range Langs() {
		name := "i18n/" + area + "/" + l + ".json"
		data, err := fs.ReadFile(assets.I18n, name)
		if err != nil {
			return nil, fmt.Errorf("load %s translations: %w", area, err)
		}
		if _, err := b.ParseMessageFileBytes(data, l+".json"); err != nil {
			return nil, fmt.Errorf("load %s translations %s: %w", area, name, err)
		}
		c.loc[l] = goi18n.NewLocalizer(b, l)
	}
	return c, nil
}

// shared memoizes Shared: area → func() (*Catalog, error). It is the
// package's only state, and holds catalogs that never change once loaded.
var shared sync.Map

// Shared returns area's catalog (without options), loaded once per process:
// the files are embedded, so every load of an area gives the same texts. It
// is for code that renders texts outside a screen, often or from several
// goroutines: an error's English text for the log, a figure's words in a
// dashboard. A Catalog is safe for concurrent use; a Translator is not, so
// each caller takes its own with In.
func Shared(area string) (*Catalog, error) {
	f, _ := shared.LoadOrStore(area, sync.OnceValues(func() (*Catalog, error) { return Load(area) }))
	return f.(func() (*Catalog, error))()
}

// New loads area's catalog and returns a Translator in lang.
func New(area, lang string, opts ...Option) (*Translator, error) {
	c, err := Load(area, opts...)
	if err != nil {
		return nil, err
	}
	return c.In(lang), nil
}

// In returns a Translator over c in lang; a language c does not have
// selects Vietnamese.
func (c *Catalog) In(lang string) *Translator {
	t := &Translator{cat: c}
	t.SetLang(lang)
	return t
}
