package cli

import "github.com/hailong-kiosk/hailong/app/i18n"

// texts renders the messages the commands print for people, from the
// catalog's cli area, in Vietnamese and English. Technical errors stay in
// English, for admins and scripts.
type texts struct{ vi, en *i18n.Translator }

// loadTexts returns the cli area's texts. When the catalog does not load
// (its files are embedded, so a broken build) every message is its key.
func loadTexts() texts {
	cat, _ := i18n.Load("cli", i18n.CountPlural())
	return texts{vi: cat.In("vi"), en: cat.In("en")}
}

// in returns key's message in lang: "vi", "en", or "both" for
// "Vietnamese / English" on one line.
func (t texts) in(lang, key string, args map[string]any) string {
	switch lang {
	case "vi":
		return t.vi.T(key, args)
	case "en":
		return t.en.T(key, args)
	}
	return t.vi.T(key, args) + " / " + t.en.T(key, args)
}

// lines returns key's message in Vietnamese, then English below it.
func (t texts) lines(key string, args map[string]any) string {
	return t.vi.T(key, args) + "\n" + t.en.T(key, args)
}

// usageText returns the help text of key ("cli.usage.survey") in
// Vietnamese, a blank line, then in English, as every help text of the
// binary reads.
func usageText(key string) string {
	t := loadTexts()
	return t.vi.T(key) + "\n" + t.en.T(key)
}
