package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// SaveError tells staff that a response could not be saved (disk full,
// read-only database, other) and offers Retry. The response stays in the
// kiosk's memory, not on disk, until a retry succeeds (Kept says so, and
// that closing the app or switching the machine off loses it; on a
// shutdown signal the kiosk tries once more); the kiosk does not move on
// before that, so nothing is half-saved.
type SaveError struct {
	Title   *widget.Label
	Message *widget.Label
	// English repeats the message for a citizen who chose English; staff
	// read the Vietnamese one.
	English *widget.Label
	Kept    *widget.Label
	// Status says that a retry is running, or when the last one failed.
	Status *widget.Label
	Retry  *widget.Button
	root   fyne.CanvasObject
	key    string

	savingText string
	failedText func(at string) string
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
	s.Status = label("", theme.SizeNameText, true)
	s.Status.Hide()
	s.savingText = tr.T("save.saving")
	s.failedText = func(at string) string { return tr.T("save.failedAgain", map[string]string{"Time": at}) }
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
		s.Message, s.English, s.Kept, s.Status,
		layout.NewSpacer(),
		container.NewCenter(bigButton(s.Retry, 80*sc)),
	))
	return s
}

// saving shows that a retry is under way.
func (s *SaveError) saving() {
	s.Retry.Disable()
	s.Status.Importance = widget.MediumImportance
	s.Status.SetText(s.savingText)
	s.Status.Show()
}

// failedAgain shows that the retry at t failed too.
func (s *SaveError) failedAgain(t time.Time) {
	s.Status.Importance = widget.DangerImportance
	s.Status.SetText(s.failedText(t.In(survey.Location()).Format("15:04:05")))
	s.Status.Show()
}
