package operator

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/hailong-kiosk/hailong/assets"
)

// translator gives the operator's texts from
// assets/i18n/operator/{vi,en}.json (the format of Fyne's
// lang.AddTranslationsFS). Like app/ui and the admin tabs it uses go-i18n
// directly, because Fyne's lang takes its language from the operating
// system's locale and cannot be told which one to use.
type translator struct {
	lang string
	loc  *i18n.Localizer
}

func newTranslator(lang string) (*translator, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range []string{"vi", "en"} {
		name := "i18n/operator/" + l + ".json"
		data, err := fs.ReadFile(assets.I18n, name)
		if err != nil {
			return nil, fmt.Errorf("load operator translations: %w", err)
		}
		if _, err := b.ParseMessageFileBytes(data, l+".json"); err != nil {
			return nil, fmt.Errorf("load operator translations %s: %w", name, err)
		}
	}
	if lang != "en" {
		lang = "vi"
	}
	return &translator{lang: lang, loc: i18n.NewLocalizer(b, lang)}, nil
}

// T returns the text of key filled from data (a map for the template); a
// missing key returns the key itself, so a gap shows in tests. A "Count" in
// data picks the plural form where the language has one.
func (t *translator) T(key string, data ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
		if m, ok := data[0].(map[string]any); ok {
			if n, ok := m["Count"]; ok {
				cfg.PluralCount = n
			}
		}
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return key
	}
	return s
}
