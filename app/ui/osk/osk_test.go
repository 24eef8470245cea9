package osk

import (
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/telex"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// tapKeys types keys on kb the way a person would: shift before a capital,
// the space bar for spaces, the VNI row for digits in VNI mode.
func tapKeys(t *testing.T, kb *Keyboard, keys string) {
	t.Helper()
	for _, r := range keys {
		var b *Key
		switch {
		case r == ' ':
			b = kb.Space
		case unicode.IsDigit(r):
			b = kb.Marks[r]
		default:
			if unicode.IsUpper(r) {
				test.Tap(kb.Shift)
			}
			b = kb.Letters[unicode.ToLower(r)]
		}
		if b == nil {
			t.Fatalf("no key for %q", r)
		}
		test.Tap(b)
	}
}

func TestTypeTelexSentence(t *testing.T) {
	test.NewTempApp(t)
	var got []string
	kb := New(func(s string) { got = append(got, s) })
	w := test.NewWindow(kb)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 420))

	tapKeys(t, kb, "Tooi raats hafi lofng")
	const want = "Tôi rất hài lòng"
	if kb.Text() != want {
		t.Fatalf("text %q, want %q", kb.Text(), want)
	}
	if len(got) != len("Tooi raats hafi lofng") || got[len(got)-1] != want {
		t.Errorf("onChange: %d calls, last %q", len(got), got[len(got)-1])
	}
	if got[0] != "T" || got[1] != "To" || got[2] != "Tô" {
		t.Errorf("first changes %q, want T, To, Tô", got[:3])
	}
}

func TestShiftIsOneShot(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	test.Tap(kb.Shift)
	if kb.Letters['a'].Text() != "A" || kb.Shift.Importance() != widget.HighImportance {
		t.Fatalf("shift on: label %q, importance %v", kb.Letters['a'].Text(), kb.Shift.Importance())
	}
	test.Tap(kb.Letters['h'])
	test.Tap(kb.Letters['a'])
	if kb.Text() != "Ha" {
		t.Errorf("text %q, want %q", kb.Text(), "Ha")
	}
	if kb.Letters['a'].Text() != "a" {
		t.Errorf("after a capital the labels are %q, want lower case", kb.Letters['a'].Text())
	}
	test.Tap(kb.Shift)
	test.Tap(kb.Shift) // shift off again
	test.Tap(kb.Letters['b'])
	if kb.Text() != "Hab" {
		t.Errorf("text %q, want %q", kb.Text(), "Hab")
	}
}

func TestVNI(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	w := test.NewWindow(kb)
	defer w.Close()
	telexHint := kb.Hint.Text
	if kb.Marks['1'].Visible() && firstRow(kb) == kb.markRowObj {
		t.Error("VNI row shown in Telex mode")
	}
	test.Tap(kb.Method)
	if kb.Mode() != telex.VNI || kb.Method.Text() != "VNI" {
		t.Fatalf("method %v, label %q after one tap", kb.Mode(), kb.Method.Text())
	}
	if firstRow(kb) != kb.markRowObj {
		t.Error("VNI row not shown in VNI mode")
	}
	if kb.Hint.Text == telexHint {
		t.Error("hint unchanged after switching to VNI")
	}
	tapKeys(t, kb, "To6i ra6t1 ha2i lo2ng")
	if want := "Tôi rất hài lòng"; kb.Text() != want {
		t.Errorf("text %q, want %q", kb.Text(), want)
	}
	test.Tap(kb.Method)
	if kb.Mode() != telex.Telex || firstRow(kb) == kb.markRowObj {
		t.Error("second tap does not return to Telex without the VNI row")
	}
}

func TestBackspaceAndNumbers(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	kb.SetMode(telex.VNI)
	tapKeys(t, kb, "ha2i")
	test.Tap(kb.Backspace)
	if kb.Text() != "hà" {
		t.Fatalf("after backspace %q, want %q", kb.Text(), "hà")
	}
	test.Tap(kb.Layer)
	if kb.Layer.Text() != "ABC" || firstRow(kb) != kb.symbolRowObjs[0] {
		t.Fatalf("numbers layer not shown: layer key %q", kb.Layer.Text())
	}
	// Digits of the numbers layer stay digits, even in VNI mode.
	for _, r := range " 1022?" {
		if r == ' ' {
			test.Tap(kb.Space)
			continue
		}
		test.Tap(kb.Symbols[r])
	}
	test.Tap(kb.Layer)
	test.Tap(kb.Period)
	if want := "hà 1022?."; kb.Text() != want {
		t.Errorf("text %q, want %q", kb.Text(), want)
	}
	if kb.Layer.Text() != "123" {
		t.Errorf("layer key %q back on letters", kb.Layer.Text())
	}
	for range 20 {
		test.Tap(kb.Backspace)
	}
	if kb.Text() != "" {
		t.Errorf("text %q after clearing", kb.Text())
	}
}

func TestForEntry(t *testing.T) {
	test.NewTempApp(t)
	e := widget.NewMultiLineEntry()
	var changes []string
	e.OnChanged = func(s string) { changes = append(changes, s) }
	e.SetText("Cán bộ ")
	changes = nil
	kb := ForEntry(e)
	w := test.NewWindow(commentScreen(e, kb))
	defer w.Close()

	tapKeys(t, kb, "nhieetj tinhf")
	if want := "Cán bộ nhiệt tình"; e.Text != want {
		t.Fatalf("entry %q, want %q", e.Text, want)
	}
	if changes[len(changes)-1] != e.Text {
		t.Errorf("OnChanged last saw %q", changes[len(changes)-1])
	}
	if e.CursorRow != 0 || e.CursorColumn != len([]rune(e.Text)) {
		t.Errorf("cursor at %d:%d, want the end 0:%d", e.CursorRow, e.CursorColumn, len([]rune(e.Text)))
	}
	// Text typed on a physical keyboard is picked up before the next key.
	w.Canvas().Focus(e)
	test.Type(e, ", ")
	tapKeys(t, kb, "vui ver")
	if want := "Cán bộ nhiệt tình, vui vẻ"; e.Text != want {
		t.Errorf("entry %q, want %q", e.Text, want)
	}
}

func TestLabels(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	if kb.Space.Text() != "dấu cách" || kb.Backspace.Text() != "Xoá" {
		t.Errorf("Vietnamese labels %q, %q", kb.Space.Text(), kb.Backspace.Text())
	}
	kb.SetLang("en")
	if kb.Space.Text() != "space" || kb.Backspace.Text() != "Delete" {
		t.Errorf("English labels %q, %q", kb.Space.Text(), kb.Backspace.Text())
	}
	kb.SetLang("fr")
	if kb.Space.Text() != "dấu cách" {
		t.Errorf("unknown language gives %q, want Vietnamese", kb.Space.Text())
	}
	if kb.Marks['6'].Text() != "6 â" {
		t.Errorf("VNI key label %q", kb.Marks['6'].Text())
	}
	for _, lang := range i18n.Langs() {
		kb.SetLang(lang)
		for _, key := range []string{"osk.space", "osk.backspace", "osk.numbers", "osk.letters", "osk.hint.telex", "osk.hint.vni", "osk.hint.numbers"} {
			if !kb.tr.Has(key) {
				t.Errorf("assets/i18n/osk/%s.json lacks %q", lang, key)
			}
		}
	}
}

func TestBigKeys(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	w := test.NewWindow(kb)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(kb.MinSize())
	for r, b := range kb.Letters {
		if s := b.Size(); s.Width < minKeyWidth-1 || s.Height < minKeyHeight-1 {
			t.Errorf("key %q is %v, smaller than %dx%d", r, s, minKeyWidth, minKeyHeight)
		}
	}
	// The middle row is centred under the top row.
	q, a, p, l := kb.Letters['q'], kb.Letters['a'], kb.Letters['p'], kb.Letters['l']
	left := a.Position().X - q.Position().X
	right := (p.Position().X + p.Size().Width) - (l.Position().X + l.Size().Width)
	if d := left - right; d > 1 || d < -1 {
		t.Errorf("middle row off centre: %v left, %v right", left, right)
	}
	if kb.Space.Size().Width < 3*q.Size().Width {
		t.Errorf("space bar %v not wide", kb.Space.Size())
	}
}

// commentScreen stacks an entry over a keyboard, as a comment screen does.
func commentScreen(e *widget.Entry, kb *Keyboard) fyne.CanvasObject {
	return container.NewBorder(nil, kb, nil, nil, e)
}

// firstRow is the top row of keys on show.
func firstRow(kb *Keyboard) fyne.CanvasObject {
	for _, o := range kb.rows.Objects {
		if o.Visible() {
			return o
		}
	}
	return nil
}

// TestPlainCodes: in plain mode a code types as it is tapped, capitals and
// digits, with none of Telex's marks ("AS" stays "AS", "DD" stays "DD"),
// and switching back restores Telex.
func TestPlainCodes(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	kb.SetPlain(true)
	if !kb.markRowObj.Visible() || kb.Method.Visible() || kb.Shift.Visible() || !kb.Letters['u'].Disabled() {
		t.Fatal("plain mode: digit row hidden, method or shift key shown, or U enabled")
	}
	if got := kb.Letters['a'].Text(); got != "A" {
		t.Errorf("letter key label %q, want A", got)
	}
	if got := kb.Marks['6'].Text(); got != "6" {
		t.Errorf("digit key label %q, want 6", got)
	}
	for _, r := range "as6dd9wj" {
		if unicode.IsDigit(r) {
			test.Tap(kb.Marks[r])
		} else {
			test.Tap(kb.Letters[r])
		}
	}
	if got := kb.Text(); got != "AS6DD9WJ" {
		t.Errorf("plain text %q, want AS6DD9WJ", got)
	}
	test.Tap(kb.Backspace)
	if got := kb.Text(); got != "AS6DD9W" {
		t.Errorf("after backspace %q", got)
	}
	kb.SetPlain(false)
	kb.SetText("")
	tapKeys(t, kb, "as")
	if got := kb.Text(); got != "á" || !kb.Method.Visible() || kb.markRowObj.Visible() || kb.Letters['u'].Disabled() {
		t.Errorf("back to Telex: %q, method shown %v, digit row shown %v", got, kb.Method.Visible(), kb.markRowObj.Visible())
	}
}

// TestTakeHintAfterDrawn: the kiosk makes its keyboard ahead and reuses it,
// so the hint is taken after the keyboard was first drawn; it must then
// leave the keyboard's drawn tree, else it is drawn twice, once over the
// keys.
func TestTakeHintAfterDrawn(t *testing.T) {
	test.NewTempApp(t)
	kb := New(nil)
	w := test.NewTempWindow(t, kb)
	w.Resize(fyne.NewSize(800, 400))
	if n := countIn(kb, kb.Hint); n != 1 {
		t.Fatalf("hint drawn %d times in the keyboard before TakeHint, want 1", n)
	}
	hint := kb.TakeHint()
	w.SetContent(container.NewVBox(hint, kb))
	w.Resize(fyne.NewSize(800, 500))
	if n := countIn(kb, hint); n != 0 {
		t.Errorf("hint still drawn in the keyboard after TakeHint (%d times)", n)
	}
	if n := countIn(w.Content(), hint); n != 1 {
		t.Errorf("hint drawn %d times in the window, want 1", n)
	}
	kb.TakeHint() // the next comment screen takes it again
	if n := countIn(kb, hint); n != 0 {
		t.Errorf("hint drawn in the keyboard after a second TakeHint (%d times)", n)
	}
}

// countIn counts o in the tree drawn under root.
func countIn(root, o fyne.CanvasObject) int {
	n := 0
	shot.Find(root, func(x fyne.CanvasObject) bool {
		if x == o {
			n++
		}
		return false
	})
	return n
}
