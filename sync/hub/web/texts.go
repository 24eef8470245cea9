package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strings"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// The pages' language: Vietnamese unless the request asks for English with
// ?lang=en, or an earlier one did (langCookie remembers it, so that
// following a link keeps the language); ?lang=vi switches back.
const (
	langCookie = "hailong_lang"
	langParam  = "lang"
)

// langKey is the request context's key for the language ServeHTTP chose.
type langKey struct{}

// chooseLang reads the request's language and, when ?lang= names one,
// remembers it in langCookie. Not for /api/, whose lang parameter is the
// export's labels, nor for the phone page, whose language travels in its
// form (phone.go) so that a phone passed on starts in Vietnamese.
func (d *Dashboard) chooseLang(w http.ResponseWriter, r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, PathPhone) {
		return "vi"
	}
	if q := r.URL.Query().Get(langParam); (q == "vi" || q == "en") && !strings.HasPrefix(r.URL.Path, "/api/") {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: d.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
		return q
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "vi" || c.Value == "en") {
		return c.Value
	}
	return "vi"
}

// langOf is the language ServeHTTP chose for r: "vi" or "en".
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(langKey{}).(string); ok {
		return l
	}
	return "vi"
}

func withLang(r *http.Request, lang string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), langKey{}, lang))
}

// texts are the web package's catalog areas in one language: web (the
// admin pages), board (the public board, receipts and case pages), phone
// (the phone page) and sync (the dashboard's gaps and help figures, the
// feedback inbox's words). A key goes to the area its first word names,
// any other to sync. texts only reads its translators, so one value may
// serve concurrent requests.
type texts struct {
	lang                    string
	web, board, phone, sync *i18n.Translator
	// en is the English texts: the public pages' Vietnamese lines carry
	// the English one under them (EN).
	en *texts
}

// loadTexts loads the areas of texts (embedded files: an error means a
// broken build, and the package's tests fail on it). A text of web given
// a "Count" has an English form for one and for other counts.
func loadTexts() (map[string]*texts, error) {
	// A "Count" argument picks the English plural form of web's texts.
	web, err := i18n.Load("web", i18n.CountPlural())
	if err != nil {
		return nil, err
	}
	board, err := i18n.Shared("board")
	if err != nil {
		return nil, err
	}
	phone, err := i18n.Shared("phone")
	if err != nil {
		return nil, err
	}
	sync, err := i18n.Shared("sync")
	if err != nil {
		return nil, err
	}
	out := map[string]*texts{}
	for _, l := range i18n.Langs() {
		out[l] = &texts{lang: l, web: web.In(l), board: board.In(l), phone: phone.In(l), sync: sync.In(l)}
	}
	for _, x := range out {
		x.en = out["en"]
	}
	return out, nil
}

// T is key's text filled from args: either one map or struct, or pairs of
// a name and its value ("Count", 3). A missing key gives the key.
func (x *texts) T(key string, args ...any) string {
	tr := x.sync
	switch key[:max(strings.IndexByte(key, '.'), 0)] {
	case "web":
		tr = x.web
	case "board":
		tr = x.board
	case "phone":
		tr = x.phone
	}
	switch len(args) {
	case 0:
		return tr.T(key)
	case 1:
		return tr.T(key, args[0])
	}
	return tr.T(key, pairs(args, nil))
}

// TH is T for a text that holds markup (<code>, <b>, a link): the catalog
// is trusted, its arguments are escaped.
func (x *texts) TH(key string, args ...any) template.HTML {
	if len(args) < 2 {
		return template.HTML(x.T(key, args...))
	}
	return template.HTML(x.T(key, pairs(args, func(v any) any {
		switch v := v.(type) {
		case template.HTML:
			return string(v)
		case string:
			return html.EscapeString(v)
		}
		return html.EscapeString(fmt.Sprint(v))
	})))
}

// pairs makes template data of name, value pairs, each value passed
// through conv when it is not nil.
func pairs(args []any, conv func(any) any) map[string]any {
	m := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		v := args[i+1]
		if conv != nil {
			v = conv(v)
		}
		m[name] = v
	}
	return m
}

// role is a role's name on the pages.
func (x *texts) role(r hub.Role) string {
	switch r {
	case hub.RoleViewer:
		return x.T("web.role.viewer")
	case hub.RoleInspector:
		return x.T("web.role.inspector")
	}
	return x.T("web.role.admin")
}

// funcs are the template functions bound to x's language: T and TH, the
// English texts under the Vietnamese ones (EN, as TH), the page's
// language and the one its switch offers, the header's navOf.
func (x *texts) funcs() template.FuncMap {
	other := map[string]string{"vi": "en", "en": "vi"}[x.lang]
	return template.FuncMap{
		"T":         x.T,
		"TH":        x.TH,
		"EN":        func(key string, args ...any) template.HTML { return x.en.TH(key, args...) },
		"lang":      func() string { return x.lang },
		"otherLang": func() string { return other },
		"navOf": func(title, admin string, role hub.Role, csrf string) navView {
			return navView{Title: title, Admin: admin, Role: x.role(role), CSRF: csrf, IsAdmin: role == hub.RoleAdmin}
		},
	}
}

// tr is the texts of r's language.
func (d *Dashboard) tr(r *http.Request) *texts { return d.texts[langOf(r)] }

// fail answers an API error (or an action's, a form's POST answered with
// JSON) with key's text in r's language.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, status int, code, key string, args ...any) {
	jsonError(w, status, code, d.tr(r).T(key, args...))
}
