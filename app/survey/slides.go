package survey

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hailong-kiosk/hailong/assets"
)

// Slides is a slide set: the information slides a kiosk's welcome screen
// cycles while nobody uses it, and the feedback channels it shows beside
// the portals' QR codes. A hub publishes one at a time and kiosks pull it
// as they pull surveys (docs/survey-format.md, "Slide sets"). It holds no
// answer and no personal data.
type Slides struct {
	// Slides are shown in order, one at a time; none means the welcome
	// screen cycles nothing.
	Slides []Slide `json:"slides"`
	// Channels are where a citizen can send feedback (the iHanoi app, the
	// hotline 1022), listed under the portals' QR codes.
	Channels []Channel `json:"channels"`
}

// Slide is one information slide: what an info screen of a survey holds
// (a heading, a text, an optional picture and QR code with its caption).
type Slide struct {
	Title Text    `json:"title"`
	Text  Text    `json:"text"`
	Image string  `json:"image,omitempty"`
	QR    *QRCode `json:"qr,omitempty"`
}

// Channel is one feedback channel: its name, an optional line under it,
// and a phone number to call or a link shown as a QR code (or both, or
// neither for an app to look up by name).
type Channel struct {
	Name   Text   `json:"name"`
	Detail Text   `json:"detail,omitempty"`
	Phone  string `json:"phone,omitempty"`
	URL    string `json:"url,omitempty"`
}

// Limits of a slide set.
const (
	// MaxSlides is the slides of a set: a citizen waiting sees the cycle
	// through in about a minute.
	MaxSlides = 8
	// MaxChannels is the feedback channels the welcome screen lists.
	MaxChannels = 4
	// MaxSlideTextLen is the characters of a slide's text per language:
	// it shares the welcome screen with the start button, so it is
	// shorter than an info screen's.
	MaxSlideTextLen = 320
	// MaxPhoneLen is the characters of a channel's phone number.
	MaxPhoneLen = 20
)

// ParseSlides decodes a slide set from JSON as Parse decodes a survey:
// strictly, NFC-normalised and trimmed, then validated. The error, if any,
// is Problems with lines.
func ParseSlides(data []byte) (*Slides, error) {
	return parseDefinition(data, "slides", ".slides", (*Slides).normalize, (*Slides).Validate)
}

func (s *Slides) normalize() {
	for i := range s.Slides {
		sl := &s.Slides[i]
		sl.Title, sl.Text, sl.Image = cleanText(sl.Title), cleanText(sl.Text), clean(sl.Image)
		if sl.QR != nil {
			sl.QR.URL, sl.QR.Caption = clean(sl.QR.URL), cleanText(sl.QR.Caption)
		}
	}
	for i := range s.Channels {
		ch := &s.Channels[i]
		ch.Name, ch.Detail, ch.Phone, ch.URL = cleanText(ch.Name), cleanText(ch.Detail), clean(ch.Phone), clean(ch.URL)
	}
}

// Validate checks a slide set: each slide has a Vietnamese title and text
// within the limits, a valid picture and QR code when it has them; each
// channel a name, a phone number of digits (with spaces, dots, dashes or a
// leading +) and an http(s) link when it has them. The error is Problems.
func (s *Slides) Validate() error {
	var c problems
	if len(s.Slides) > MaxSlides {
		c.add("slides", "survey.problem.too_many_slides", map[string]any{"Count": len(s.Slides), "Max": MaxSlides})
	}
	for i := range s.Slides {
		sl := &s.Slides[i]
		path := fmt.Sprintf("slides[%d]", i)
		c.text(path+".title", sl.Title, true, MaxTitleLen, false)
		c.text(path+".text", sl.Text, true, MaxSlideTextLen, true)
		if sl.Image != "" {
			if _, err := DecodeImage(sl.Image); err != nil {
				c.again(path+".image", err.(Problem))
			}
		}
		if sl.QR != nil {
			c.qr(path+".qr", sl.QR)
		}
	}
	if len(s.Channels) > MaxChannels {
		c.add("channels", "survey.problem.too_many_channels", map[string]any{"Count": len(s.Channels), "Max": MaxChannels})
	}
	for i := range s.Channels {
		ch := &s.Channels[i]
		path := fmt.Sprintf("channels[%d]", i)
		c.text(path+".name", ch.Name, true, MaxOptionLen, false)
		c.text(path+".detail", ch.Detail, false, MaxOptionLen, false)
		if ch.Phone != "" && !validPhone(ch.Phone) {
			c.add(path+".phone", "survey.problem.phone", map[string]any{"Phone": ch.Phone, "Max": MaxPhoneLen})
		}
		if ch.URL != "" {
			var cp problems
			cp.qr(path, &QRCode{URL: ch.URL, Caption: Text{"vi": "-"}})
			for _, p := range cp.list {
				c.again(path+".url", p)
			}
		}
	}
	return c.err()
}

// validPhone: digits with separators, at least three digits.
func validPhone(s string) bool {
	if utf8.RuneCountInString(s) > MaxPhoneLen {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" .-", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// BuiltinSlides is the slide set a kiosk shows until its hub publishes one
// (assets/slides/builtin.json): what PAPI is and why answers matter, how to
// use the public service portal in three steps, and the city's feedback
// channels.
func BuiltinSlides() (*Slides, error) {
	raw, err := assets.Slides.ReadFile("slides/builtin.json")
	if err != nil {
		return nil, fmt.Errorf("built-in slides: %w", err)
	}
	s, err := ParseSlides(raw)
	if err != nil {
		return nil, fmt.Errorf("built-in slides: %w", err)
	}
	return s, nil
}
