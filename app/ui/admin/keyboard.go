package admin

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/ui/osk"
)

// textEditor is the full-window editor with the on-screen keyboard that a
// touch screen without a keyboard uses to fill a text field.
type textEditor struct {
	target       *widget.Entry
	field        *widget.Entry
	kb           *osk.Keyboard
	done, cancel *widget.Button
	pop          *widget.PopUp
}

// typed puts a button beside e that opens the on-screen keyboard for it.
func (p *Panel) typed(e *widget.Entry, title string) fyne.CanvasObject {
	b := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { p.editText(e, title) })
	p.keyButtons[e] = b
	return container.NewBorder(nil, nil, nil, minSized(b, 64, 48), e)
}

// editText opens the editor for e; Xong copies the text back, Huỷ drops it.
func (p *Panel) editText(e *widget.Entry, title string) {
	p.touch()
	ed := &textEditor{target: e, field: widget.NewEntry()}
	ed.field.SetText(e.Text)
	ed.field.OnChanged = func(string) { p.touch() }
	ed.kb = osk.ForEntry(ed.field)
	ed.kb.SetLang(p.tr.Lang())
	ed.done = widget.NewButtonWithIcon(p.l("admin.keyboard.done"), theme.ConfirmIcon(), func() {
		p.touch()
		e.SetText(ed.field.Text)
		p.closeEditor()
	})
	ed.done.Importance = widget.HighImportance
	ed.cancel = widget.NewButtonWithIcon(p.l("admin.keyboard.cancel"), theme.CancelIcon(), func() {
		p.touch()
		p.closeEditor()
	})
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	buttons := container.NewHBox(minSized(ed.cancel, 0, 56), minSized(ed.done, 160, 56))
	top := container.NewVBox(container.NewBorder(nil, nil, nil, buttons, heading), ed.field)
	ed.pop = widget.NewModalPopUp(container.NewBorder(top, nil, nil, nil, ed.kb), p.w.Canvas())
	ed.pop.Resize(p.w.Canvas().Size())
	p.editor = ed
	ed.pop.Show()
	p.w.Canvas().Focus(ed.field)
}

func (p *Panel) closeEditor() {
	if p.editor != nil {
		p.editor.pop.Hide()
		p.editor = nil
	}
}
