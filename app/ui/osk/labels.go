package osk

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/hailong-kiosk/hailong/assets"
)

// labelLangs are the languages of the keyboard's labels, Vietnamese first.
var labelLangs = [...]string{"vi", "en"}

// labels holds the keyboard's texts in each language, from
// assets/i18n/osk/<lang>.json (the flat format Fyne's lang package reads).
type labels map[string]map[string]string

// loadLabels reads the keyboard's translation files.
func loadLabels() (labels, error) {
	l := labels{}
	for _, lang := range labelLangs {
		name := "i18n/osk/" + lang + ".json"
		data, err := fs.ReadFile(assets.I18n, name)
		if err != nil {
			return nil, fmt.Errorf("load keyboard labels: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("load keyboard labels %s: %w", name, err)
		}
		l[lang] = m
	}
	return l, nil
}

// text returns key's text in lang, falling back to Vietnamese, then to key.
func (l labels) text(lang, key string) string {
	if s, ok := l[lang][key]; ok {
		return s
	}
	if s, ok := l["vi"][key]; ok {
		return s
	}
	return key
}
