package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SaveError tells staff that a response could not be saved (disk full,
// read-only database, other) and offers Retry. The response stays in
// memory until a retry succeeds; the kiosk does not move on before that,
// so nothing is lost and nothing is half-saved.
type SaveError struct {
	Title   *widget.Label
	Message *widget.Label
	// English repeats the message for a citizen who chose English; staff
	// read the Vietnamese one.
	English *widget.Label
	Kept    *widget.Label
	Retry   *widget.Button
	root    fyne.CanvasObject
	key     string
}

func newSaveError(k *Kiosk, key string) *SaveError {
	k.fitScale()
	sc := scale()
	tr := k.tr
	lang := tr.Lang()
	tr.SetLang("vi")
	s := &SaveError{key: key}
	s.Title = label(tr.T("save.title"), theme.SizeNameHeadingText, true)
	s.Title.Importance = widget.DangerImportance
	s.Message = label(tr.T(key), theme.SizeNameSubHeadingText, true)
	s.Kept = label(tr.T("save.kept"), theme.SizeNameText, false)
	retry := tr.T("save.retry")
	s.English = label("", theme.SizeNameText, false)
	s.English.Hide()
	tr.SetLang(lang)
	if lang != "vi" {
		s.English.SetText(tr.T(key))
		s.English.Show()
	}
	s.Retry = widget.NewButtonWithIcon(retry, theme.ViewRefreshIcon(), k.retry)
	s.Retry.Importance = widget.DangerImportance
	icon := widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	s.root = container.NewPadded(column(-1,
		layout.NewSpacer(),
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(96*sc), icon), nil, s.Title),
		s.Message, s.English, s.Kept,
		layout.NewSpacer(),
		container.NewCenter(bigButton(s.Retry, 80*sc)),
	))
	return s
}
