package export

import (
	"encoding/json"
	"io/fs"

	"github.com/hailong-kiosk/hailong/assets"
)

// texts are the sheet headings in one language, read from the report
// translations (assets/i18n/report/<lang>.json, keys "export.*"), so the
// kiosk screens and the files use the same words.
type texts map[string]string

// loadTexts returns the headings in lang, Vietnamese when lang is not "en".
// A missing file or key shows the key itself, never an empty heading.
func loadTexts(lang string) texts {
	if lang != "en" {
		lang = "vi"
	}
	t := texts{}
	data, err := fs.ReadFile(assets.I18n, "i18n/report/"+lang+".json")
	if err != nil {
		return t
	}
	var raw map[string]any
	if json.Unmarshal(data, &raw) != nil {
		return t
	}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			t[k] = s
		}
	}
	return t
}

// get returns the text of key, or the key when it is missing.
func (t texts) get(key string) string {
	if s, ok := t[key]; ok {
		return s
	}
	return key
}
