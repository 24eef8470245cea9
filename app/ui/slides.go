package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// SlideEvery is how long the welcome screen stays plain before the first
// slide, and how long each slide stays, while nobody touches the screen.
const SlideEvery = 8 * time.Second

// SlideShow is the welcome screen's information slides (survey.Slides,
// pulled from the hub or built in). While nobody touches the screen it
// shows, in place of the survey's title and invitation, each slide in turn
// for SlideEvery, then the plain welcome again, and so on; a tap on the
// slide returns to the plain welcome at once and the count starts again.
// The start button and everything else on the screen stay where they are.
type SlideShow struct {
	Slides []survey.Slide
	// Index is the slide on show, -1 while the plain welcome shows.
	Index int
	// The slide on show: its heading, text, counter ("2 / 3"), picture
	// and QR code (nil when it has none).
	Title   *widget.Label
	Text    *widget.Label
	Counter *widget.Label
	Image   *canvas.Image
	QR      *qrPanel
	// Area is what a citizen taps to leave the slides.
	Area *tapArea

	k      *Kiosk
	w      *Welcome
	plain  []fyne.CanvasObject // what a slide takes the place of
	holder *fyne.Container
	timer  Timer
}

// newSlideShow builds the slides of w, hidden: run starts the count.
func newSlideShow(k *Kiosk, w *Welcome, slides []survey.Slide, plain ...fyne.CanvasObject) *SlideShow {
	s := &SlideShow{Slides: slides, Index: -1, k: k, w: w, plain: plain}
	s.Title = label("", theme.SizeNameSubHeadingText, true)
	s.Text = label("", theme.SizeNameSubHeadingText, false)
	s.Counter = label("", theme.SizeNameCaptionText, false)
	s.Counter.Alignment = fyne.TextAlignTrailing
	s.Counter.Wrapping = fyne.TextWrapOff
	s.holder = container.NewStack()
	s.Area = newTapArea(s.holder, k.guard("slides", s.tapped))
	s.Area.Hide()
	return s
}

// run (re)starts the count to the next change.
func (s *SlideShow) run() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = s.k.clock.AfterFunc(SlideEvery, func() {
		fyne.Do(s.k.guard("slides", func() {
			// A welcome screen replaced (a survey started, the
			// language toggled, the admin panel opened) keeps no show.
			if s.k.Welcome != s.w || s.k.paused {
				return
			}
			s.show(s.Index + 1)
			s.run()
		}))
	})
}

// tapped returns to the plain welcome and starts the count again.
func (s *SlideShow) tapped() {
	s.show(len(s.Slides))
	s.run()
}

// show shows slide i, or the plain welcome for i outside the slides.
func (s *SlideShow) show(i int) {
	if i < 0 || i >= len(s.Slides) {
		s.Index = -1
		s.Area.Hide()
		for _, o := range s.plain {
			o.Show()
		}
		s.w.main.Refresh()
		return
	}
	s.Index = i
	k, sl := s.k, s.Slides[i]
	s.Title.SetText(k.text(sl.Title))
	s.Text.SetText(k.text(sl.Text))
	s.Counter.SetText(k.tr.T("welcome.slide_count", map[string]int{"N": i + 1, "Count": len(s.Slides)}))
	s.Image, s.QR = nil, nil
	if sl.Image != "" {
		if img, err := survey.DecodeImage(sl.Image); err != nil { // ParseSlides decoded it
			k.log.Error("slide image", "slide", i, "err", err)
		} else {
			s.Image = canvas.NewImageFromImage(img)
			s.Image.FillMode = canvas.ImageFillContain
			s.Image.ScaleMode = canvas.ImageScaleSmooth
			s.Image.SetMinSize(fyne.NewSquareSize(32))
		}
	}
	if sl.QR != nil {
		if p, err := newQRPanel(sl.QR.URL, k.text(sl.QR.Caption), 48); err != nil {
			k.log.Error("slide QR code", "slide", i, "err", err)
		} else {
			p.Caption.SizeName = theme.SizeNameCaptionText
			s.QR = p
		}
	}
	text := container.New(&fitTextLayout{label: s.Text}, container.NewVScroll(s.Text))
	var body fyne.CanvasObject = text
	switch {
	case s.Image != nil && s.QR != nil:
		body = container.New(&sideLayout{fraction: 0.3}, text, container.New(mediaLayout{}, s.Image, s.QR.root))
	case s.Image != nil:
		body = container.New(&sideLayout{fraction: 0.3}, text, s.Image)
	case s.QR != nil:
		body = container.New(&sideLayout{fraction: 0.3}, text, s.QR.root)
	}
	head := container.NewBorder(nil, nil, nil, s.Counter, s.Title)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	// A column, not a Border: the heading wraps at the width it gets.
	s.holder.Objects = []fyne.CanvasObject{bg, container.NewPadded(column(1, head, body))}
	s.holder.Refresh()
	for _, o := range s.plain {
		o.Hide()
	}
	s.Area.Show()
	s.w.main.Refresh()
}

// tapArea is content that calls onTap when tapped anywhere on it.
type tapArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapArea(content fyne.CanvasObject, onTap func()) *tapArea {
	a := &tapArea{content: content, onTap: onTap}
	a.ExtendBaseWidget(a)
	return a
}

func (a *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.content) }

// MinSize is small: the welcome column gives the slides the height left.
func (a *tapArea) MinSize() fyne.Size { return fyne.NewSize(0, 0) }

func (a *tapArea) Tapped(*fyne.PointEvent) { a.onTap() }

// channelsPanel lists the feedback channels under the portals' QR codes:
// those with a link as QR codes (returned in qrs, to share the column with
// the portals'), the others in one block of text, each as its name and
// phone number on one line (or, without a number, its name over its line
// under the name). One block
// pads once, and each line is cut short with "…" rather than wrapped, so
// that the portals' codes keep their room.
func channelsPanel(k *Kiosk, chs []survey.Channel) (qrs []*qrPanel, list *widget.RichText) {
	if len(chs) == 0 {
		return nil, nil
	}
	para := func(text string, size fyne.ThemeSizeName, bold bool, color fyne.ThemeColorName) widget.RichTextSegment {
		return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{
			Alignment: fyne.TextAlignCenter, SizeName: size, ColorName: color, TextStyle: fyne.TextStyle{Bold: bold},
		}}
	}
	segs := []widget.RichTextSegment{para(k.tr.T("welcome.channels"), theme.SizeNameCaptionText, true, theme.ColorNameForeground)}
	for _, ch := range chs {
		if ch.URL != "" {
			p, err := newQRPanel(ch.URL, k.text(ch.Name), 48)
			if err != nil {
				k.log.Error("feedback channel QR", "url", ch.URL, "err", err)
				continue
			}
			p.Caption.SizeName = theme.SizeNameCaptionText
			qrs = append(qrs, p)
			continue
		}
		// One paragraph per line: the column is narrow, and a truncated
		// RichText counts one row per paragraph, so a name and number
		// inline would spill onto a row it had not measured.
		segs = append(segs, para(k.text(ch.Name), theme.SizeNameCaptionText, true, theme.ColorNameForeground))
		if ch.Phone != "" { // the number to call stands out
			segs = append(segs, para("☎ "+ch.Phone, theme.SizeNameText, true, theme.ColorNamePrimary))
		}
		if d := k.text(ch.Detail); d != "" {
			segs = append(segs, para(d, theme.SizeNameCaptionText, false, theme.ColorNameForeground))
		}
	}
	rt := widget.NewRichText(segs...)
	rt.Truncation = fyne.TextTruncateEllipsis
	return qrs, rt
}

// channelsBlock is the feedback channels under a line, or nil.
func (w *Welcome) channelsBlock() fyne.CanvasObject {
	if w.Channels == nil {
		return nil
	}
	return container.NewVBox(widget.NewSeparator(), w.Channels)
}
