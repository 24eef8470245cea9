package telex

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Mode is an input method.
type Mode int

// The input methods a Composer knows.
const (
	// Telex uses letters for marks and tones: "hafi lofng" → "hài lòng".
	Telex Mode = iota
	// VNI uses digits for marks and tones: "ha2i lo2ng" → "hài lòng".
	VNI
)

// String returns the method's usual name, "Telex" or "VNI".
func (m Mode) String() string {
	if m == VNI {
		return "VNI"
	}
	return "Telex"
}

// Composer turns keystrokes into Vietnamese text with an input method. The
// zero value is an empty Telex composer. A Composer is not safe for
// concurrent use; a keyboard widget calls it from the UI goroutine.
type Composer struct {
	mode Mode
	text []rune // always NFC
	// literal is set when a key undid its own mark or tone: the rest of the
	// word is typed as it is.
	literal bool
	// bareW is set when the last key was a Telex w that typed ư on its own,
	// so that a second w gives back "w".
	bareW bool
}

// New returns an empty Composer using mode.
func New(mode Mode) *Composer {
	return &Composer{mode: mode}
}

// Mode returns the input method in use.
func (c *Composer) Mode() Mode { return c.mode }

// SetMode switches the input method; the text stays.
func (c *Composer) SetMode(m Mode) {
	c.mode = m
	c.literal, c.bareW = false, false
}

// Text returns the composed text, valid UTF-8 in NFC.
func (c *Composer) Text() string { return string(c.text) }

// SetText replaces the composed text with s (normalised to NFC, invalid
// UTF-8 and control characters other than newline dropped), for example
// when the text was edited by other means. Keys then continue its last word.
func (c *Composer) SetText(s string) {
	c.text = c.text[:0]
	c.literal, c.bareW = false, false
	for _, r := range s {
		if accepted(r) {
			c.text = append(c.text, r)
		}
	}
	c.text = []rune(norm.NFC.String(string(c.text)))
}

// Reset empties the text.
func (c *Composer) Reset() { c.SetText("") }

// Backspace removes the last composed character: "hài" becomes "hà". A
// character left decomposed (a base followed by combining marks that have no
// precomposed form) goes as a whole.
func (c *Composer) Backspace() {
	c.literal, c.bareW = false, false
	for len(c.text) > 0 {
		r := c.text[len(c.text)-1]
		c.text = c.text[:len(c.text)-1]
		if !unicode.Is(unicode.Mn, r) {
			return
		}
	}
}

// TypeString types each character of keys in turn.
func (c *Composer) TypeString(keys string) {
	for _, r := range keys {
		c.Type(r)
	}
}

// Type handles one keystroke: it composes r into the current word when r is
// a key of the input method that applies there, and otherwise appends r as
// typed. Invalid runes and control characters other than newline are
// ignored.
func (c *Composer) Type(r rune) {
	if !accepted(r) {
		return
	}
	bareW := c.bareW
	c.bareW = false
	if !c.literal && c.compose(r, bareW) {
		return
	}
	c.Insert(r)
}

// Insert appends r without composing it, as a keyboard's number and symbol
// keys do. A letter still joins the current word for later keys.
func (c *Composer) Insert(r rune) {
	if !accepted(r) {
		return
	}
	c.bareW = false
	if l, ok := parseLetter(r); ok {
		start := c.wordStart()
		w := append(parseWord(c.text[start:]), l)
		placeTone(w)
		c.text = append(c.text[:start], renderWord(w)...)
		return
	}
	c.literal = false
	c.text = append(c.text, r)
	if s := string(r); !norm.NFC.IsNormalString(s) || !norm.NFC.PropertiesString(s).BoundaryBefore() {
		// r is not NFC by itself or may combine with what precedes it.
		c.text = []rune(norm.NFC.String(string(c.text)))
	}
}

// accepted reports whether r may appear in the text.
func accepted(r rune) bool {
	if r == utf8.RuneError || !utf8.ValidRune(r) {
		return false
	}
	return r == '\n' || unicode.IsGraphic(r)
}

// wordStart returns the index in c.text where the trailing word begins.
func (c *Composer) wordStart() int {
	i := len(c.text)
	for i > 0 {
		if _, ok := parseLetter(c.text[i-1]); !ok {
			break
		}
		i--
	}
	return i
}

// outcome is what a key did to a word.
type outcome int

const (
	ignored outcome = iota // not a key here: type it as itself
	applied                // the word changed
	undone                 // the key undid itself: type it as itself, then literally
)

// compose applies r to the current word and reports whether r was used up.
// bareW tells that the previous key was a w that typed ư on its own.
func (c *Composer) compose(r rune, bareW bool) bool {
	start := c.wordStart()
	w := parseWord(c.text[start:])
	n0 := len(w)
	var out outcome
	switch c.mode {
	case VNI:
		out, w = vniKey(w, r)
	default:
		out, w = telexKey(w, r, bareW)
		// A w that added a letter typed ư on its own.
		c.bareW = out == applied && len(w) == n0+1
	}
	if out == ignored {
		return false
	}
	placeTone(w)
	c.text = append(c.text[:start], renderWord(w)...)
	if out == undone {
		c.Insert(r)
		if _, ok := parseLetter(r); ok {
			c.literal = true
		}
	}
	return true
}
