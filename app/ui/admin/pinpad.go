package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/pin"
)

// Sizes of the keypad's touch targets.
const (
	keyW, keyH = 110, 84
	keyText    = 34
	// textW is the width of the pad's words and display.
	textW = 400
)

// pinPad is a PIN display with a big numeric keypad, a prompt and a message
// line. It is used for PIN set-up, PIN entry and PIN change.
type pinPad struct {
	title   *widget.Label
	hint    *widget.Label
	entry   *widget.Entry
	msg     *widget.Label
	keys    [10]*widget.Button
	del, ok *widget.Button
	content fyne.CanvasObject

	onSubmit func(pin string)
	onTouch  func()
	cancel   func() // stops a lockout countdown
	filling  bool
}

func newPINPad(l func(string, ...any) string, onTouch func()) *pinPad {
	p := &pinPad{onTouch: onTouch}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.title.SizeName = theme.SizeNameHeadingText
	p.title.Wrapping = fyne.TextWrapWord
	p.hint = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	p.hint.Wrapping = fyne.TextWrapWord
	p.msg = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.Importance = widget.DangerImportance

	p.entry = widget.NewPasswordEntry()
	p.entry.OnChanged = p.filter
	p.entry.OnSubmitted = func(string) { p.submit() }

	grid := container.NewGridWithColumns(3)
	for i := 1; i <= 10; i++ {
		d := i % 10
		p.keys[d] = widget.NewButton(string(rune('0'+d)), func() { p.press(d) })
	}
	p.del = widget.NewButtonWithIcon(l("admin.pin.delete"), theme.NavigateBackIcon(), p.backspace)
	p.ok = widget.NewButtonWithIcon(l("admin.pin.ok"), theme.ConfirmIcon(), p.submit)
	p.ok.Importance = widget.HighImportance
	for _, b := range []*widget.Button{
		p.keys[1], p.keys[2], p.keys[3], p.keys[4], p.keys[5], p.keys[6],
		p.keys[7], p.keys[8], p.keys[9], p.del, p.keys[0], p.ok,
	} {
		grid.Add(minSized(b, keyW, keyH))
	}
	display := container.NewGridWrap(fyne.NewSize(textW-40, 84), big(p.entry, 44))
	// Side by side, to fit landscape screens down to 1280×768: the words
	// and the display on the left, the keypad on the right.
	words := container.NewVBox(p.title, p.hint, container.NewCenter(display), p.msg)
	p.content = container.NewHBox(
		minSized(words, textW, 0),
		container.NewVBox(big(grid, keyText)),
	)
	return p
}

// prompt resets the pad for a new question.
func (p *pinPad) prompt(title, hint string, submit func(string)) {
	p.title.SetText(title)
	p.hint.SetText(hint)
	p.onSubmit = submit
	p.clear()
}

func (p *pinPad) clear() { p.entry.SetText("") }

// filter keeps only digits, at most pin.MaxLen of them, whether typed on a
// keyboard or pasted.
func (p *pinPad) filter(s string) {
	if p.filling {
		return
	}
	p.onTouch()
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' && b.Len() < pin.MaxLen {
			b.WriteRune(r)
		}
	}
	if b.String() != s {
		p.filling = true
		p.entry.SetText(b.String())
		p.filling = false
	}
}

func (p *pinPad) press(d int) {
	p.onTouch()
	if len(p.entry.Text) >= pin.MaxLen {
		return
	}
	p.entry.SetText(p.entry.Text + string(rune('0'+d)))
}

func (p *pinPad) backspace() {
	p.onTouch()
	if t := p.entry.Text; t != "" {
		p.entry.SetText(t[:len(t)-1])
	}
}

func (p *pinPad) submit() {
	p.onTouch()
	if p.ok.Disabled() || p.onSubmit == nil {
		return
	}
	p.onSubmit(p.entry.Text)
}

// showError shows a problem in red.
func (p *pinPad) showError(s string) {
	p.msg.Importance = widget.DangerImportance
	p.msg.SetText(s)
}

// showInfo shows a neutral message.
func (p *pinPad) showInfo(s string) {
	p.msg.Importance = widget.MediumImportance
	p.msg.SetText(s)
}

// showSuccess shows a good outcome.
func (p *pinPad) showSuccess(s string) {
	p.msg.Importance = widget.SuccessImportance
	p.msg.SetText(s)
}

// setLocked disables or enables every key and the display.
func (p *pinPad) setLocked(locked bool) {
	for _, b := range append(p.keys[:], p.del, p.ok) {
		if locked {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if locked {
		p.clear()
		p.entry.Disable()
	} else {
		p.entry.Enable()
	}
}

// checking shows msg and takes no keys while a PIN is checked or saved;
// setLocked(false) gives the keys back.
func (p *pinPad) checking(msg string) {
	p.setLocked(true)
	p.showInfo(msg)
}

func (p *pinPad) stopCountdown() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// padScreen frames a pad with the back-to-kiosk button at the top left.
func padScreen(p *pinPad, back *widget.Button) fyne.CanvasObject {
	top := container.NewHBox(minSized(back, 0, 64))
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewCenter(p.content))
}
