package operator

import "github.com/hailong-kiosk/hailong/app/i18n"

// newTranslator gives the operator's texts from
// assets/i18n/operator/{vi,en}.json in lang ("en", or else Vietnamese). A
// "Count" in a message's data picks its plural form.
func newTranslator(lang string) (*i18n.Translator, error) {
	return i18n.New("operator", lang, i18n.CountPlural())
}
