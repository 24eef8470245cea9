// Package reportui is the admin panel's "Xuất dữ liệu" (export to a USB
// stick) and "Thống kê" (satisfaction figures with charts) tabs. The work is
// done by app/export and app/report off the UI goroutine; widgets change
// only inside fyne.Do.
package reportui

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/admin"
)

// Store is what the tabs read; *store.Store implements it.
type Store interface {
	export.DefSource
	// Responses streams the responses matching f, oldest first.
	Responses(ctx context.Context, f store.Filter) iter.Seq2[*survey.Response, error]
	// BorrowResponses streams the same, lending one response value for
	// every row (store.Store.BorrowResponses).
	BorrowResponses(ctx context.Context, f store.Filter) iter.Seq2[*survey.Response, error]
}

// Deps is what the tabs need from the kiosk.
type Deps struct {
	// Store is the kiosk's store.
	Store Store
	// Builtin are the built-in survey definitions (survey.Builtin()).
	Builtin []*survey.Survey
	// ServicePoint returns the kiosk's service point, used in file names;
	// nil or "" leaves it out.
	ServicePoint func() string
	// DeviceName returns the kiosk's name from its enrollment, written in
	// the device_name column of every exported response (all of them were
	// collected by this kiosk); nil or "" leaves the column empty.
	DeviceName func() string
	// Lang is "vi" (the default) or "en".
	Lang string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ChooseFolder asks for the folder to export to and calls done with its
	// path, or does not call it when the admin cancels. Nil means Fyne's
	// folder dialog.
	ChooseFolder func(w fyne.Window, done func(dir string))
	// Go runs blocking work off the UI goroutine; nil means `go f()`.
	Go func(f func())
	// Log receives full error chains; nil means slog.Default().
	Log *slog.Logger
}

func (d *Deps) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ServicePoint == nil {
		d.ServicePoint = func() string { return "" }
	}
	if d.DeviceName == nil {
		d.DeviceName = func() string { return "" }
	}
	if d.ChooseFolder == nil {
		d.ChooseFolder = func(w fyne.Window, done func(string)) {
			dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
				if err == nil && u != nil {
					done(u.Path())
				}
			}, w)
		}
	}
	if d.Go == nil {
		d.Go = func(f func()) { go f() }
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Lang != "en" {
		d.Lang = "vi"
	}
}

// Tabs returns the export and statistics tabs, titled in d.Lang. ctx bounds
// every read of the store.
func Tabs(ctx context.Context, d Deps) ([]admin.Tab, error) {
	d.defaults()
	tr, err := newTranslator(d.Lang)
	if err != nil {
		return nil, err
	}
	return []admin.Tab{
		{Title: tr.T("report.tab.export"), Content: func(w fyne.Window) fyne.CanvasObject {
			return NewExport(ctx, d, w).Content()
		}},
		{Title: tr.T("report.tab.stats"), Content: func(w fyne.Window) fyne.CanvasObject {
			return NewStats(ctx, d).Content()
		}},
	}, nil
}

// newTranslator gives the tabs' texts from assets/i18n/report/{vi,en}.json
// in lang ("en", or else Vietnamese).
func newTranslator(lang string) (*i18n.Translator, error) { return i18n.New("report", lang) }

// number formats n with the language's thousands separator: 1.234 in
// Vietnamese, 1,234 in English.
func number(n int, lang string) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := fmt.Sprint(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return neg + s
}
