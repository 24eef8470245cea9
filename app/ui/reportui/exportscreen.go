package reportui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Export is the "Xuất dữ liệu" tab. It keeps its widgets in fields so tests
// can reach them.
type Export struct {
	ctx context.Context
	d   Deps
	w   fyne.Window
	tr  *i18n.Translator

	// Format picks xlsx, csv or jsonl (its options are the translated names).
	Format *widget.RadioGroup
	// From and To are the first and last day, typed as dd/mm/yyyy.
	From, To *widget.Entry
	// Presets fill From and To.
	Presets map[preset]*widget.Button
	// CompleteOnly leaves abandoned responses out; Labels adds label columns.
	CompleteOnly, Labels *widget.Check
	// Run asks for a folder and exports.
	Run *widget.Button
	// Progress shows the share written; Message the outcome.
	Progress *widget.ProgressBar
	Message  *widget.Label

	formats map[string]export.Format
	content fyne.CanvasObject
}

// NewExport builds the export tab for window w.
func NewExport(ctx context.Context, d Deps, w fyne.Window) *Export {
	d.defaults()
	tr, err := newTranslator(d.Lang)
	if err != nil {
		d.Log.Error("export tab: translations", "err", err)
	}
	e := &Export{ctx: ctx, d: d, w: w, tr: tr, formats: map[string]export.Format{}, Presets: map[preset]*widget.Button{}}
	e.build()
	return e
}

// Content returns the tab's canvas object.
func (e *Export) Content() fyne.CanvasObject { return e.content }

func (e *Export) build() {
	var names []string
	for _, f := range export.Formats {
		name := e.tr.T("report.export.format." + string(f))
		e.formats[name] = f
		names = append(names, name)
	}
	e.Format = widget.NewRadioGroup(names, nil)
	e.Format.Horizontal = true
	e.Format.Required = true
	e.Format.SetSelected(names[0])

	e.From, e.To = widget.NewEntry(), widget.NewEntry()
	e.From.SetPlaceHolder(e.tr.T("report.range.placeholder"))
	e.To.SetPlaceHolder(e.tr.T("report.range.placeholder"))
	presets := container.NewHBox()
	for _, p := range []preset{presetToday, preset7Days, presetMonth, presetLastMonth, presetAll} {
		b := widget.NewButton(e.tr.T("report.range."+string(p)), func() { e.setPreset(p) })
		e.Presets[p] = b
		presets.Add(b)
	}
	e.setPreset(presetMonth)

	e.CompleteOnly = widget.NewCheck(e.tr.T("report.export.complete_only"), nil)
	e.Labels = widget.NewCheck(e.tr.T("report.export.labels"), nil)
	e.Run = widget.NewButton(e.tr.T("report.export.button"), e.run)
	e.Run.Importance = widget.HighImportance
	e.Progress = widget.NewProgressBar()
	e.Progress.Hide()
	e.Message = widget.NewLabel("")
	e.Message.Wrapping = fyne.TextWrapWord

	help := widget.NewLabel(e.tr.T("report.export.help"))
	help.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(e.tr.T("report.range.hint"))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(e.tr.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := container.New(layout.NewFormLayout(), widget.NewLabel(e.tr.T("report.range.from")), e.From,
		widget.NewLabel(e.tr.T("report.range.to")), e.To)
	// The button and its outcome stay in view below the scrolling form.
	e.content = container.NewBorder(nil,
		container.NewVBox(widget.NewSeparator(), e.Run, e.Progress, e.Message), nil, nil,
		container.NewVScroll(container.NewVBox(
			bold("report.export.title"), help,
			widget.NewSeparator(),
			bold("report.export.format"), e.Format,
			bold("report.range"), presets, form, hint,
			e.CompleteOnly, e.Labels,
		)))
}

func (e *Export) setPreset(p preset) {
	d := presetDays(p, e.d.Now())
	e.From.SetText(formatDay(d.from))
	e.To.SetText(formatDay(d.to))
}

// selected reads the form, or returns the message to show.
func (e *Export) selected() (days, export.Format, string) {
	from, err := parseDay(e.From.Text)
	if err != nil {
		return days{}, "", e.tr.T("report.error.date", map[string]any{"Text": e.From.Text})
	}
	to, err := parseDay(e.To.Text)
	if err != nil {
		return days{}, "", e.tr.T("report.error.date", map[string]any{"Text": e.To.Text})
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return days{}, "", e.tr.T("report.error.range")
	}
	f, ok := e.formats[e.Format.Selected]
	if !ok {
		f = export.XLSX
	}
	return days{from, to}, f, ""
}

// run checks the form, asks for a folder and exports in the background.
func (e *Export) run() {
	dd, format, msg := e.selected()
	if msg != "" {
		e.showMessage(msg, widget.DangerImportance)
		return
	}
	e.d.ChooseFolder(e.w, func(dir string) {
		e.Run.Disable()
		e.Progress.SetValue(0)
		e.Progress.Show()
		e.showMessage(e.tr.T("report.export.counting"), widget.MediumImportance)
		completeOnly, labels := e.CompleteOnly.Checked, e.Labels.Checked
		e.d.Go(func() {
			msg, imp := e.write(dir, dd, format, completeOnly, labels)
			fyne.Do(func() {
				e.Run.Enable()
				e.Progress.Hide()
				e.showMessage(msg, imp)
			})
		})
	})
}

func (e *Export) showMessage(msg string, imp widget.Importance) {
	e.Message.SetText(msg)
	e.Message.Importance = imp
	e.Message.Refresh()
}

// write exports off the UI goroutine and returns the message to show.
func (e *Export) write(dir string, dd days, format export.Format, completeOnly, labels bool) (string, widget.Importance) {
	ctx := e.ctx
	f := dd.filter()
	if completeOnly {
		f.Status = survey.StatusComplete
	}
	defs, err := export.Definitions(ctx, e.d.Builtin, e.d.Store, "")
	if err != nil {
		e.d.Log.Error("export tab: survey definitions", "err", err)
		return e.tr.T("report.error.read"), widget.DangerImportance
	}
	total := 0
	for _, err := range e.d.Store.BorrowResponses(ctx, f) {
		if err != nil {
			e.d.Log.Error("export tab: count", "err", err)
			return e.tr.T("report.error.read"), widget.DangerImportance
		}
		total++
	}
	name := export.FileName(e.d.ServicePoint(), dd.from, dd.to, string(format))
	path, err := export.FreePath(dir, name)
	if err != nil {
		e.d.Log.Error("export tab: choose file name", "dir", dir, "err", err)
		return e.errorText(err), widget.DangerImportance
	}
	last := time.Time{}
	progress := func(n int) {
		if now := time.Now(); now.Sub(last) < 100*time.Millisecond && n < total {
			return
		}
		last = time.Now()
		v := 1.0
		if total > 0 {
			v = min(1, float64(n)/float64(total))
		}
		fyne.Do(func() {
			e.Progress.SetValue(v)
			e.Message.SetText(e.tr.T("report.export.busy", map[string]any{"Done": number(n, e.d.Lang), "Total": number(total, e.d.Lang)}))
		})
	}
	device := e.d.DeviceName()
	// The writers are done with each response before the next (export.Write).
	n, err := export.ToFile(ctx, path, format, e.d.Store.BorrowResponses(ctx, f),
		export.Options{Surveys: defs, Labels: labels, Lang: e.d.Lang, Progress: progress, Now: e.d.Now,
			DeviceName: func(string) string { return device }})
	if err != nil {
		e.d.Log.Error("export tab: export", "path", path, "err", err)
		return e.errorText(err), widget.DangerImportance
	}
	e.d.Log.Info("export: file written", "path", path, "responses", n, "format", format)
	if n == 0 {
		return e.tr.T("report.export.empty", map[string]any{"Path": path}), widget.WarningImportance
	}
	return e.tr.T("report.export.done", map[string]any{"Count": number(n, e.d.Lang), "Path": path}), widget.SuccessImportance
}

// errorText is the message for a failed export, by cause.
func (e *Export) errorText(err error) string {
	switch {
	case errors.Is(err, export.ErrDiskFull):
		return e.tr.T("report.error.disk_full")
	case errors.Is(err, export.ErrReadOnly):
		return e.tr.T("report.error.read_only")
	case errors.Is(err, export.ErrDeviceGone):
		return e.tr.T("report.error.device_gone")
	case errors.Is(err, export.ErrNoFolder):
		return e.tr.T("report.error.no_folder")
	case errors.Is(err, export.ErrPermission):
		return e.tr.T("report.error.permission")
	}
	if errors.Is(err, export.ErrSource) {
		return e.tr.T("report.error.read")
	}
	return e.tr.T("report.error.other")
}
