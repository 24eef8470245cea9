// Package osk is an on-screen keyboard for Vietnamese free-text comments on a
// touch screen: big keys in a QWERTY grid, Telex or VNI composition (through
// app/telex), shift, backspace, space, and a layer of numbers and symbols.
//
// The keyboard owns no text field. It composes the text and hands every
// change to a callback; ForEntry ties it to a widget.Entry in one call,
// which is what a comment screen needs:
//
//	comment := widget.NewMultiLineEntry()
//	kb := osk.ForEntry(comment)
//	content := container.NewBorder(nil, kb, nil, nil, comment)
//
// Its labels come from the catalog's osk area (app/i18n) in Vietnamese or
// English (SetLang).
package osk

import (
	"log/slog"
	"math"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/telex"
)

// The keys of each row, QWERTY as Vietnamese Telex typists know it.
var (
	letterRows = [3]string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}
	markRow    = "1234567890"
	symbolRows = [3]string{"1234567890", "-/:;()\"'@&", "#%+=*!?_"}
)

// markHints label VNI's digit keys with what they do.
var markHints = map[rune]string{
	'1': "á", '2': "à", '3': "ả", '4': "ã", '5': "ạ",
	'6': "â", '7': "ơ", '8': "ă", '9': "đ", '0': "a",
}

// Keyboard is the on-screen keyboard widget. Its keys are exported so that
// tests can tap them.
type Keyboard struct {
	widget.BaseWidget

	// Letters are the letter keys, by lower-case letter.
	Letters map[rune]*Key
	// Marks are VNI's digit keys (tones and marks), shown in VNI mode.
	Marks map[rune]*Key
	// Symbols are the keys of the numbers layer, by character.
	Symbols map[rune]*Key
	// Shift makes the next letter a capital.
	Shift *Key
	// Comma and Period type "," and ".".
	Comma, Period *Key
	// Space and Backspace type a space and remove the last character.
	Space, Backspace *Key
	// Layer switches between letters and numbers ("123" / "ABC").
	Layer *Key
	// Method switches the input method between Telex and VNI.
	Method *Key
	// Hint says how the current method marks tones.
	Hint *widget.Label

	comp     *telex.Composer
	onChange func(string)
	source   func() string    // the bound field's text, when bound
	tr       *i18n.Translator // never nil; its zero value gives keys back
	shift    bool
	numbers  bool
	plain    bool // SetPlain: no composition, capitals, digits above the letters

	letterRowObjs, symbolRowObjs []fyne.CanvasObject
	markRowObj, bottomRow        fyne.CanvasObject
	rows                         *fyne.Container
	// content is what the renderer draws, for the keyboard's whole life:
	// the hint above the keys, or the keys alone once TakeHint took it.
	content *fyne.Container
}

// New returns a Telex keyboard over an empty text that calls onChange (if
// not nil) with the whole composed text after every key.
func New(onChange func(text string)) *Keyboard {
	k := &Keyboard{
		comp:     telex.New(telex.Telex),
		onChange: onChange,
		Letters:  map[rune]*Key{},
		Marks:    map[rune]*Key{},
		Symbols:  map[rune]*Key{},
	}
	tr, err := i18n.New("osk", "vi")
	if err != nil {
		// The files are embedded: this is a broken build. Keys show their
		// translation keys rather than nothing.
		slog.Error("on-screen keyboard", "err", err)
		tr = &i18n.Translator{}
	}
	k.tr = tr
	k.build()
	k.ExtendBaseWidget(k)
	return k
}

// ForEntry returns a keyboard that edits e: each key sets e's text (so e's
// OnChanged runs) and puts the cursor at the end. Text typed into e by other
// means, such as a laptop's own keyboard, is picked up before the next key.
func ForEntry(e *widget.Entry) *Keyboard {
	k := New(nil)
	k.Attach(e)
	return k
}

// CreateRenderer implements fyne.Widget.
func (k *Keyboard) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(k.content)
}

// Text returns the composed text (NFC).
func (k *Keyboard) Text() string { return k.comp.Text() }

// SetText replaces the text without calling onChange, for example when the
// comment screen shows a comment typed earlier.
func (k *Keyboard) SetText(s string) { k.comp.SetText(s) }

// Mode returns the input method in use.
func (k *Keyboard) Mode() telex.Mode { return k.comp.Mode() }

// SetMode switches the input method (the admin's default, or the user's
// tap on the method key).
func (k *Keyboard) SetMode(m telex.Mode) {
	changed := m != k.comp.Mode()
	k.comp.SetMode(m) // also at the same mode: it ends a literal run
	if changed {
		k.relabel()
		k.arrange()
	}
}

// SetPlain switches the keyboard to typing codes (a rating slip's) and
// back: letters type as capitals without composition (a code's "AS" must
// not become "Á"), the digit row shows above the letters and types digits,
// the shift and method keys are hidden, and U, which no code has, is
// disabled (I, L and O are read as 1, 1 and 0).
func (k *Keyboard) SetPlain(on bool) {
	k.plain, k.shift, k.numbers = on, false, false
	if on {
		k.Shift.Hide()
		k.Method.Hide()
		k.Letters['u'].Disable() // the one letter no code has (Crockford's base32)
	} else {
		k.Shift.Show()
		k.Method.Show()
		k.Letters['u'].Enable()
	}
	k.relabel()
	k.arrange()
}

// SetLang switches the labels to lang ("vi" or "en"; others give
// Vietnamese).
func (k *Keyboard) SetLang(lang string) {
	before := k.tr.Lang()
	k.tr.SetLang(lang)
	if k.tr.Lang() == before {
		return
	}
	k.relabel()
}

func (k *Keyboard) t(key string) string { return k.tr.T(key) }

// build makes every key once; arrange picks the rows to show.
func (k *Keyboard) build() {
	key := newKey
	for i, row := range letterRows {
		var keys []fyne.CanvasObject
		var units []float32
		if i == 2 {
			k.Shift = newIconKey(theme.MoveUpIcon(), k.toggleShift)
			keys, units = append(keys, k.Shift), append(units, 1.5)
		}
		for _, r := range row {
			b := key(string(r), func() { k.typeLetter(r) })
			k.Letters[r] = b
			keys, units = append(keys, b), append(units, 1)
		}
		if i == 2 {
			k.Comma = key(",", func() { k.insert(',') })
			keys, units = append(keys, k.Comma), append(units, 1.5)
		}
		k.letterRowObjs = append(k.letterRowObjs, keyRow(units, keys))
	}

	var marks []fyne.CanvasObject
	for _, r := range markRow {
		b := key(string(r)+" "+markHints[r], func() { k.typeMark(r) })
		k.Marks[r] = b
		marks = append(marks, b)
	}
	k.markRowObj = keyRow(nil, marks)

	for _, row := range symbolRows {
		var keys []fyne.CanvasObject
		for _, r := range row {
			b := key(string(r), func() { k.insert(r) })
			k.Symbols[r] = b
			keys = append(keys, b)
		}
		k.symbolRowObjs = append(k.symbolRowObjs, keyRow(nil, keys))
	}

	k.Layer = key("", k.toggleLayer)
	k.Method = key("", k.toggleMethod)
	k.Method.SetImportance(widget.WarningImportance)
	k.Space = key("", func() { k.insert(' ') })
	k.Period = key(".", func() { k.insert('.') })
	k.Backspace = newIconKey(backspaceIcon(), k.backspace)
	k.bottomRow = keyRow([]float32{1.5, 1.5, 3.5, 1, 2.5},
		[]fyne.CanvasObject{k.Layer, k.Method, k.Space, k.Period, k.Backspace})

	k.Hint = widget.NewLabel("")
	k.Hint.Wrapping = fyne.TextWrapWord
	k.Hint.Importance = widget.LowImportance
	k.rows = container.New(layout.NewGridLayoutWithRows(4))
	k.relabel()
	k.arrange()
	k.content = container.NewBorder(k.Hint, nil, nil, nil, k.rows)
}

// keyRow lays keys out across a 10-unit row.
func keyRow(units []float32, keys []fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&rowLayout{units: units, span: 10}, keys...)
}

// arrange shows the rows of the current layer and method. Every row is
// in the keyboard from the start and is shown or hidden, so that its keys
// are laid out and drawn once.
func (k *Keyboard) arrange() {
	show := map[fyne.CanvasObject]bool{k.bottomRow: true}
	switch {
	case k.numbers:
		for _, o := range k.symbolRowObjs {
			show[o] = true
		}
	case k.plain || k.comp.Mode() == telex.VNI:
		show[k.markRowObj] = true
		fallthrough
	default:
		for _, o := range k.letterRowObjs {
			show[o] = !k.numbers
		}
	}
	if len(k.rows.Objects) == 0 {
		all := append([]fyne.CanvasObject{k.markRowObj}, k.letterRowObjs...)
		k.rows.Objects = append(append(all, k.symbolRowObjs...), k.bottomRow)
	}
	n := 0
	for _, o := range k.rows.Objects {
		if show[o] {
			o.Show()
			n++
		} else {
			o.Hide()
		}
	}
	k.rows.Layout = layout.NewGridLayoutWithRows(n)
	k.rows.Refresh()
}

// Attach makes k edit e from now on, as a keyboard from ForEntry does, and
// starts it afresh (letters, no shift): the kiosk keeps one keyboard for
// all its comment screens, so its keys are laid out and drawn once.
func (k *Keyboard) Attach(e *widget.Entry) {
	k.onChange = func(text string) {
		// SetText clamps the cursor into the new text: at its end.
		e.CursorRow, e.CursorColumn = math.MaxInt32, math.MaxInt32
		e.SetText(text)
	}
	k.source = func() string { return e.Text }
	k.comp.SetText(e.Text)
	if k.shift || k.numbers {
		k.shift, k.numbers = false, false
		k.relabel()
		k.arrange()
	}
}

// relabel updates the labels that depend on shift, layer, method and
// language. The kiosk relabels its one keyboard at every comment screen;
// a key refreshes only when its caption changes.
func (k *Keyboard) relabel() {
	for r, b := range k.Marks {
		if k.plain {
			b.SetText(string(r))
		} else {
			b.SetText(string(r) + " " + markHints[r])
		}
	}
	for r, b := range k.Letters {
		if k.shift || k.plain {
			b.SetText(string(unicode.ToUpper(r)))
		} else {
			b.SetText(string(r))
		}
	}
	shift := widget.MediumImportance
	if k.shift {
		shift = widget.HighImportance
	}
	k.Shift.SetImportance(shift)
	hint := k.t("osk.hint.telex")
	if k.numbers {
		k.Layer.SetText(k.t("osk.letters"))
		hint = k.t("osk.hint.numbers")
	} else {
		k.Layer.SetText(k.t("osk.numbers"))
		if k.plain {
			hint = k.t("osk.hint.code")
		} else if k.comp.Mode() == telex.VNI {
			hint = k.t("osk.hint.vni")
		}
	}
	if k.Hint.Text != hint {
		k.Hint.SetText(hint)
	}
	k.Method.SetText(k.comp.Mode().String())
	k.Space.SetText(k.t("osk.space"))
	k.Backspace.SetText(k.t("osk.backspace"))
}

// TakeHint takes the hint (how the current method marks tones) from above
// the keys and returns it, for a screen short of height to show elsewhere;
// the keyboard keeps its text up to date. Also after the keyboard has been
// drawn (it is made ahead and reused from screen to screen), the hint then
// lies in the keyboard's tree no more: placed elsewhere, it is drawn once.
func (k *Keyboard) TakeHint() *widget.Label {
	if len(k.content.Objects) == 1 {
		return k.Hint // taken already: refreshing would refresh every key
	}
	k.content.Layout = layout.NewStackLayout()
	k.content.Objects = []fyne.CanvasObject{k.rows}
	k.content.Refresh()
	return k.Hint
}

// sync picks up text the bound field got by other means.
func (k *Keyboard) sync() {
	if k.source == nil {
		return
	}
	if s := k.source(); s != k.comp.Text() {
		k.comp.SetText(s)
	}
}

// changed reports the text to the callback.
func (k *Keyboard) changed() {
	if k.onChange != nil {
		k.onChange(k.comp.Text())
	}
}

func (k *Keyboard) typeLetter(r rune) {
	k.sync()
	if k.plain {
		k.comp.Insert(unicode.ToUpper(r))
		k.changed()
		return
	}
	if k.shift {
		r = unicode.ToUpper(r)
		k.shift = false
		k.relabel()
	}
	k.comp.Type(r)
	k.changed()
}

func (k *Keyboard) typeMark(r rune) {
	k.sync()
	if k.plain {
		k.comp.Insert(r)
		k.changed()
		return
	}
	k.comp.Type(r)
	k.changed()
}

// insert types r as it is: numbers and symbols never compose, so "2" in
// the numbers layer stays a 2 in VNI mode.
func (k *Keyboard) insert(r rune) {
	k.sync()
	k.comp.Insert(r)
	k.changed()
}

func (k *Keyboard) backspace() {
	k.sync()
	k.comp.Backspace()
	k.changed()
}

func (k *Keyboard) toggleShift() {
	k.shift = !k.shift
	k.relabel()
}

func (k *Keyboard) toggleLayer() {
	k.numbers = !k.numbers
	k.relabel()
	k.arrange()
}

func (k *Keyboard) toggleMethod() {
	if k.comp.Mode() == telex.VNI {
		k.SetMode(telex.Telex)
	} else {
		k.SetMode(telex.VNI)
	}
}
