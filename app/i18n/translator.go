package i18n

import goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

// Translator gives one catalog's texts in one language, switchable at run
// time. It is not safe for concurrent use; UI code calls it from the UI
// goroutine. A nil Translator (or the zero value) gives every key back
// unchanged, so a screen built after a failed Load still shows something.
type Translator struct {
	cat  *Catalog
	lang string
}

// Lang returns the current language code, "vi" or "en".
func (t *Translator) Lang() string { return t.lang }

// SetLang switches to lang ("vi" or "en"); other values select Vietnamese.
func (t *Translator) SetLang(lang string) {
	if t.cat == nil {
		t.lang = "vi"
		return
	}
	if _, ok := t.cat.loc[lang]; !ok {
		lang = "vi"
	}
	t.lang = lang
}

// Other returns the language a two-way toggle switches to.
func (t *Translator) Other() string {
	if t.lang == "vi" {
		return "en"
	}
	return "vi"
}

// T returns the text of key in the current language, filled from data (a
// map or struct for the template). A missing key returns the key itself, so
// a gap shows up in screenshots and tests instead of an empty button. See
// CountPlural for plural forms.
func (t *Translator) T(key string, data ...any) string {
	if t == nil || t.cat == nil {
		return key
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
		if m, ok := data[0].(map[string]any); ok && t.cat.plural {
			if n, ok := m["Count"]; ok {
				cfg.PluralCount = n
			}
		}
	}
	s, err := t.cat.loc[t.lang].Localize(cfg)
	if err != nil {
		return key
	}
	return s
}

// Has reports whether key has a translation in the current language.
func (t *Translator) Has(key string) bool { return t.T(key) != key }
