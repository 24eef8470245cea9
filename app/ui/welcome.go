package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/sync/help"
)

// Welcome is the screen between citizens: who is asking, one very large
// start button, the language toggle, the purpose notice, the portals'
// QR codes and the feedback channels, and while idle information slides.
type Welcome struct {
	Logo         *logo
	Agency       *widget.Label
	ServicePoint *widget.Label
	Title        *widget.Label
	Invite       *widget.Label
	Start        *widget.Button
	StartText    *canvas.Text // the start button's caption
	Lang         *widget.Button
	Purpose      *widget.Label
	// Problem tells staff why the survey cannot start; hidden when it can.
	Problem *widget.Label
	// SlipHint, SlipEnter and SlipStatus are shown for a survey that uses
	// rating slips (slip.go): how to give one, the button to type its
	// code, and what became of the slip given; nil otherwise.
	SlipHint   *widget.Label
	SlipEnter  *widget.Button
	SlipStatus *widget.Label
	// Feedback opens the feedback flow (feedback.go); nil without a
	// feedback store.
	Feedback *widget.Button
	// Help raises a staff help request with the online portal; nil
	// without a help store.
	Help      *widget.Button
	LinksHead *widget.Label
	QRs       []*qrPanel
	// Slides cycle in place of Title and Invite while nobody touches
	// the screen (slides.go); nil when there are none. Channels are the
	// feedback channels under the portals' codes (their QR codes are in
	// QRs too), nil when there are none.
	Slides   *SlideShow
	Channels *widget.RichText
	root     fyne.CanvasObject
	main     *fyne.Container // the column, laid out again when a message shows
	problem  string          // translation key of Problem, or ""
}

// logoSide is the side of the welcome screen's logo at scale 1.
const logoSide = 96

// logoPixels is the size in pixels the welcome screen's logo is drawn at,
// at theme scale s on a canvas of the given scale (pixels per unit): the
// header is taller than the logo, which is square.
func logoPixels(s, canvasScale float32) image.Point {
	return texturePixels(fyne.NewSquareSize(logoSide*s), canvasScale)
}

// problem is a translation key, or "" when the survey can start.
func newWelcome(k *Kiosk, problem string) *Welcome {
	k.fitScale()
	tr := k.tr
	sc := scale()
	w := &Welcome{problem: problem}
	// The logo is icon.png, the SVG pre-rendered, so no SVG is
	// rasterised before the first frame. It is decoded once and scaled
	// once per size (see iconSet.appImage).
	w.Logo = newLogo(k.icons.appImage, k.pixelScale, logoSide*sc, k.clock, k.openAdmin)
	w.Agency = label(k.cfg.Agency, theme.SizeNameSubHeadingText, true)
	w.ServicePoint = label(k.cfg.ServicePoint, theme.SizeNameText, false)
	w.Lang = widget.NewButton(tr.T("lang.switch"), k.toggleLang)
	w.Lang.Importance = widget.MediumImportance

	w.Title = label("", theme.SizeNameHeadingText, true)
	w.Title.Alignment = fyne.TextAlignCenter
	w.Invite = label(tr.T("welcome.invite"), theme.SizeNameText, false)
	w.Invite.Alignment = fyne.TextAlignCenter
	w.Purpose = label("", theme.SizeNameCaptionText, false)
	w.Purpose.Alignment = fyne.TextAlignCenter
	w.Purpose.Hide()
	w.Start = widget.NewButton("", k.startOrAskSlip)
	w.Start.Importance = widget.HighImportance
	start, startText := captionButton(w.Start, tr.T("welcome.start"), 48*sc, 140*sc)
	w.StartText = startText
	w.Problem = label("", theme.SizeNameText, true)
	w.Problem.Importance = widget.DangerImportance
	w.Problem.Alignment = fyne.TextAlignCenter
	w.Problem.Hide()
	if s := k.survey; s != nil {
		w.Title.SetText(k.text(s.Title))
		if inv := k.text(s.Invitation); inv != "" {
			w.Invite.SetText(inv)
		}
		if p := k.text(s.Purpose); p != "" {
			w.Purpose.SetText(p)
			w.Purpose.Show()
		}
	}
	if problem != "" {
		w.Problem.SetText(tr.T(problem))
		w.Problem.Show()
		w.Start.Disable()
		w.StartText.Color = theme.Color(theme.ColorNameDisabled)
	}

	header := container.NewBorder(nil, nil, w.Logo, container.NewCenter(bigButton(w.Lang, MinTarget)),
		container.NewVBox(w.Agency, w.ServicePoint))
	objs := []fyne.CanvasObject{
		header, widget.NewSeparator(),
		layout.NewSpacer(), w.Title, w.Invite,
	}
	fill := -1
	if sl := k.slides; sl != nil && len(sl.Slides) > 0 && problem == "" {
		w.Slides = newSlideShow(k, w, sl.Slides, w.Title, w.Invite)
		fill = len(objs)
		objs = append(objs, w.Slides.Area)
	}
	objs = append(objs, container.NewPadded(start))
	if k.slipPolicy().Uses() && problem == "" {
		objs = append(objs, w.slipPanel(k))
	}
	// The two side doors, help and feedback, share one row.
	var doors []fyne.CanvasObject
	if k.deps.Help != nil {
		w.Help = widget.NewButtonWithIcon(tr.T("welcome.help"), theme.HelpIcon(), func() {
			if k.busy == 0 {
				k.raiseHelp(help.SourceWelcome)
			}
		})
		doors = append(doors, bigButton(w.Help, MinTarget))
	}
	if k.deps.Feedback != nil {
		w.Feedback = widget.NewButtonWithIcon(tr.T("welcome.feedback"), theme.MailComposeIcon(), k.openFeedback)
		doors = append(doors, bigButton(w.Feedback, MinTarget))
	}
	switch len(doors) {
	case 1:
		objs = append(objs, container.NewCenter(doors[0]))
	case 2:
		objs = append(objs, container.NewCenter(container.NewHBox(doors...)))
	}
	main := column(fill, append(objs, w.Problem, layout.NewSpacer(), w.Purpose)...)
	w.main = main
	var channelQRs []*qrPanel
	if k.slides != nil {
		channelQRs, w.Channels = channelsPanel(k, k.slides.Channels)
	}
	var right fyne.CanvasObject
	if len(k.cfg.Links) > 0 || w.Channels != nil {
		w.LinksHead = label(tr.T("welcome.links"), theme.SizeNameCaptionText, true)
		w.LinksHead.Alignment = fyne.TextAlignCenter
		// The codes share the column's height: each takes what its
		// caption leaves (the image keeps its aspect inside). From four
		// codes on they go two abreast, which leaves each more room
		// than a quarter of the height; from three on when the feedback
		// channels take the column's foot.
		n := len(k.cfg.Links) + len(channelQRs)
		codes := container.NewGridWithRows(max(1, n))
		if n >= 4 || n == 3 && w.Channels != nil {
			codes = container.NewGridWithColumns(2)
		}
		for _, l := range k.cfg.Links {
			p, err := newQRPanel(l.URL, k.text(l.Title), 48)
			if err != nil {
				k.log.Error("welcome QR", "url", l.URL, "err", err)
				continue
			}
			p.Caption.SizeName = theme.SizeNameCaptionText
			w.QRs = append(w.QRs, p)
			codes.Add(p.root)
		}
		for _, p := range channelQRs {
			w.QRs = append(w.QRs, p)
			codes.Add(p.root)
		}
		right = container.NewHBox(widget.NewSeparator(),
			fixedWidth(container.NewBorder(w.LinksHead, w.channelsBlock(), nil, nil, codes), 290*sc))
	}
	w.root = container.NewBorder(nil, nil, nil, right, container.NewPadded(main))
	return w
}

// label makes a word-wrapped label of the given theme text size.
func label(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = size
	l.TextStyle.Bold = bold
	return l
}
