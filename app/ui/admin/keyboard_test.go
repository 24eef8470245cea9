package admin

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/settings"
)

// TestOnScreenKeyboard fills the service point on a touch screen: the
// pencil beside the field opens the keyboard, Telex keys compose
// Vietnamese, Xong copies the text back and Save stores it.
func TestOnScreenKeyboard(t *testing.T) {
	r := newRig(t)
	p := r.open()
	g := p.general
	test.Tap(p.keyButtons[g.servicePoint])
	ed := p.editor
	if ed == nil || r.w.Canvas().Overlays().Top() == nil {
		t.Fatal("no keyboard after tapping the pencil")
	}
	ed.field.SetText("")
	for _, c := range "ddieemr" { // Telex for "điểm"
		test.Tap(ed.kb.Letters[c])
	}
	test.Tap(ed.kb.Space)
	for _, c := range "mootj" { // "một"
		test.Tap(ed.kb.Letters[c])
	}
	if ed.field.Text != "điểm một" {
		t.Fatalf("composed %q; want %q", ed.field.Text, "điểm một")
	}
	if g.servicePoint.Text == "điểm một" {
		t.Fatal("the field changed before Xong")
	}
	test.Tap(ed.done)
	if p.editor != nil || r.w.Canvas().Overlays().Top() != nil {
		t.Fatal("keyboard still open after Xong")
	}
	if g.servicePoint.Text != "điểm một" {
		t.Fatalf("field %q after Xong", g.servicePoint.Text)
	}
	test.Tap(g.save)
	if v, _ := r.setting(settings.KeyServicePoint); v != "điểm một" {
		t.Fatalf("stored service point %q", v)
	}

	// Huỷ leaves the field as it was.
	test.Tap(p.keyButtons[g.agency])
	before := g.agency.Text
	test.Tap(p.editor.kb.Letters['x'])
	test.Tap(p.editor.cancel)
	if g.agency.Text != before || p.editor != nil {
		t.Fatalf("agency %q after Huỷ; want %q", g.agency.Text, before)
	}

	// The keyboard goes with the panel when it auto-locks.
	test.Tap(p.keyButtons[g.eventTag])
	r.clock.Advance(DefaultAutoLock)
	if r.w.Content() != r.kiosk || r.w.Canvas().Overlays().Top() != nil {
		t.Fatal("keyboard left over the kiosk after the auto-lock")
	}
}
