// Package clocale makes Fyne's start-up read a C or POSIX message locale
// with a codeset or modifier (LANG=C.UTF-8, the default of Debian's and
// Docker's base images, LC_ALL=C.utf8, POSIX.UTF-8, C@euro) as the plain C
// locale, so that running the kiosk binary there prints no "Fyne error:
// Error parsing user locale C" before main.
//
// Why it is needed: fyne.io/fyne/v2/lang (v2.7.1) chooses its localizer in
// its init from github.com/jeandeaual/go-locale, which treats only the exact
// values "C" and "POSIX" as "no locale"; "C.UTF-8" comes out as the tag "C",
// which golang.org/x/text/language rejects, and lang logs the error. Neither
// library has a released fix, and both read the process environment during
// package initialisation, before any code of ours in main can run.
//
// How: when the first of LC_ALL, LC_MESSAGES and LANG that is set (the order
// go-locale reads) names the C or POSIX locale with a suffix and LANGUAGE is
// unset, init sets LANGUAGE=C. go-locale then reads LANGUAGE, which is "C",
// and reports no locale; Fyne's widgets fall back to English as they did,
// and the kiosk's own texts never follow the OS locale (app/i18n), so they
// stay Vietnamese by default. LANGUAGE=C changes nothing for programs the
// kiosk starts: under a C message locale messages are untranslated anyway.
//
// Order: main.go imports this package for its init. By the Go specification
// (Package initialization) the packages of a program are initialised in
// import-path order among those whose imports are all initialised. This
// package imports only os and strings, which go-locale imports too, and
// "github.com/hailong-kiosk/..." sorts before "github.com/jeandeaual/...",
// so this init runs before go-locale's and so before Fyne's lang reads the
// locale. The test in the repository root runs the built kiosk binary with
// each such locale and fails if the line comes back.
package clocale

import (
	"os"
	"strings"
)

func init() {
	if v, ok := languageFor(os.Getenv); ok {
		_ = os.Setenv("LANGUAGE", v)
	}
}

// languageFor returns the LANGUAGE value to set, and whether to set one, for
// the environment that getenv reads.
func languageFor(getenv func(string) string) (string, bool) {
	if getenv("LANGUAGE") != "" {
		return "", false
	}
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if suffixedC(v) {
				return "C", true
			}
			return "", false
		}
	}
	return "", false
}

// suffixedC reports whether a locale value names the C or POSIX locale with
// a codeset or modifier ("C.UTF-8", "POSIX@euro"). The exact values "C" and
// "POSIX" go-locale already handles.
func suffixedC(v string) bool {
	for _, base := range [...]string{"C", "POSIX"} {
		if rest, ok := strings.CutPrefix(v, base); ok && rest != "" && (rest[0] == '.' || rest[0] == '@') {
			return true
		}
	}
	return false
}
