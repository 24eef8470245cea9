package reportui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/report"
)

// Chart colours: a blue that reads on light and dark backgrounds, a pale
// track, and grey for suppressed cells.
var (
	barColour   = color.NRGBA{R: 0x1f, G: 0x6f, B: 0xc5, A: 0xff}
	trackColour = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x30}
	mutedColour = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
)

// barHeight is the height of one bar, large enough to read at arm's length.
const barHeight = 34

// bar is one horizontal bar: a track, a fill as long as the figure's share,
// and the figure's text ("86,5 % · 120 phiếu" or "< 5") on top.
type bar struct {
	Fill *canvas.Rectangle
	Text *canvas.Text
	// Frac is the filled share, 0–1; Muted marks a suppressed figure.
	Frac  float32
	Muted bool
}

// newBar draws f with text; a suppressed figure has an empty, grey bar.
func newBar(f report.Figure, text string) (*bar, fyne.CanvasObject) {
	b := &bar{Fill: canvas.NewRectangle(barColour), Text: canvas.NewText(text, theme.Color(theme.ColorNameForeground))}
	if f.Suppressed {
		b.Muted = true
	} else {
		b.Frac = float32(f.Value / 100)
	}
	b.Text.TextStyle.Bold = true
	track := canvas.NewRectangle(trackColour)
	return b, container.New(b, track, b.Fill, b.Text)
}

// Layout implements fyne.Layout: track full width, fill at frac, text
// inside the bar when it fits, else just after it.
func (b *bar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Resize(size)
	objs[0].Move(fyne.NewPos(0, 0))
	w := size.Width * b.Frac
	b.Fill.Resize(fyne.NewSize(w, size.Height))
	b.Fill.Move(fyne.NewPos(0, 0))
	ts := b.Text.MinSize()
	pad := theme.Padding() * 2
	x := pad
	switch {
	case b.Muted:
		b.Text.Color = mutedColour
	case w >= ts.Width+2*pad:
		b.Text.Color = color.White
	default:
		b.Text.Color = theme.Color(theme.ColorNameForeground)
		if w > 0 {
			x = w + pad
		}
	}
	b.Text.Move(fyne.NewPos(x, (size.Height-ts.Height)/2))
	b.Text.Resize(ts)
}

// MinSize implements fyne.Layout.
func (b *bar) MinSize([]fyne.CanvasObject) fyne.Size {
	ts := b.Text.MinSize()
	return fyne.NewSize(ts.Width+4*theme.Padding(), max(barHeight, ts.Height+2*theme.Padding()))
}

// barItem is one labelled bar of a bar chart.
type barItem struct {
	Label  string
	Figure report.Figure
	Text   string
}

// barChart stacks labelled bars: the label above, the bar below, so long
// Vietnamese question texts wrap instead of squeezing the bars.
func barChart(items []barItem) (fyne.CanvasObject, []*bar) {
	box := container.NewVBox()
	bars := make([]*bar, 0, len(items))
	for _, it := range items {
		l := widget.NewLabel(it.Label)
		l.Wrapping = fyne.TextWrapWord
		b, obj := newBar(it.Figure, it.Text)
		bars = append(bars, b)
		box.Add(container.NewVBox(l, obj))
	}
	return box, bars
}

// trendPoint is one day of the trend line.
type trendPoint struct {
	Label  string // "25/11"
	Figure report.Figure
	// Mark is shown instead of a dot on a suppressed day ("< 5", "ẩn").
	Mark string
}

// trend draws the daily index as a line over a 0–100 % grid with canvas
// lines and circles. Suppressed days break the line and show "< 5" at the
// bottom.
type trend struct {
	pts     []trendPoint
	grid    []*canvas.Line
	gridTxt []*canvas.Text
	segs    []*canvas.Line // segs[i] joins point i and i+1 (hidden across gaps)
	dots    []*canvas.Circle
	marks   []*canvas.Text // "< 5" under suppressed days, nil otherwise
	xTxt    []*canvas.Text // day labels, nil where skipped
}

// trendChart returns the chart of pts, oldest first.
func trendChart(pts []trendPoint) (fyne.CanvasObject, *trend) {
	t := &trend{pts: pts}
	var objs []fyne.CanvasObject
	for _, v := range []string{"100 %", "50 %", "0 %"} {
		l := canvas.NewLine(trackColour)
		l.StrokeWidth = 1
		txt := canvas.NewText(v, mutedColour)
		txt.TextSize = theme.TextSize() * 0.8
		t.grid, t.gridTxt = append(t.grid, l), append(t.gridTxt, txt)
		objs = append(objs, l, txt)
	}
	for i := range pts {
		if i+1 < len(pts) {
			s := canvas.NewLine(barColour)
			s.StrokeWidth = 3
			t.segs = append(t.segs, s)
			objs = append(objs, s)
			if pts[i].Figure.Suppressed || pts[i+1].Figure.Suppressed {
				s.Hide()
			}
		}
		d := canvas.NewCircle(barColour)
		t.dots = append(t.dots, d)
		objs = append(objs, d)
		var m *canvas.Text
		if pts[i].Figure.Suppressed {
			d.Hide()
			m = canvas.NewText(pts[i].Mark, mutedColour)
			m.TextSize = theme.TextSize() * 0.8
			objs = append(objs, m)
		}
		t.marks = append(t.marks, m)
	}
	step := max(1, (len(pts)+5)/6) // at most about 6 day labels
	for i, p := range pts {
		var x *canvas.Text
		if i%step == 0 || i == len(pts)-1 {
			x = canvas.NewText(p.Label, theme.Color(theme.ColorNameForeground))
			x.TextSize = theme.TextSize() * 0.8
			x.Alignment = fyne.TextAlignCenter
			objs = append(objs, x)
		}
		t.xTxt = append(t.xTxt, x)
	}
	return container.New(t, objs...), t
}

// MinSize implements fyne.Layout.
func (t *trend) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(320, 220) }

// Layout implements fyne.Layout.
func (t *trend) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	// Margins fit the axis labels: the widest percentage on the left, half of
	// the first and last day labels on either side, one label below.
	var left, right, bottom float32
	for _, g := range t.gridTxt {
		left = max(left, g.MinSize().Width+10)
	}
	for i, xt := range t.xTxt {
		if xt == nil {
			continue
		}
		xs := xt.MinSize()
		bottom = max(bottom, xs.Height+12)
		if i == 0 {
			left = max(left, xs.Width/2+4)
		}
		if i == len(t.xTxt)-1 {
			right = max(right, xs.Width/2+4)
		}
	}
	top := t.gridTxt[0].MinSize().Height / 2
	plotH := size.Height - top - bottom
	plotW := size.Width - left - right
	y := func(v float64) float32 { return top + plotH*(1-float32(v)/100) }
	for i, v := range []float64{100, 50, 0} {
		t.grid[i].Position1 = fyne.NewPos(left, y(v))
		t.grid[i].Position2 = fyne.NewPos(left+plotW, y(v))
		ts := t.gridTxt[i].MinSize()
		t.gridTxt[i].Move(fyne.NewPos(left-ts.Width-6, y(v)-ts.Height/2))
		t.gridTxt[i].Resize(ts)
	}
	x := func(i int) float32 {
		if len(t.pts) == 1 {
			return left + plotW/2
		}
		return left + plotW*float32(i)/float32(len(t.pts)-1)
	}
	const r = 6
	for i, p := range t.pts {
		py := y(p.Figure.Value)
		t.dots[i].Move(fyne.NewPos(x(i)-r, py-r))
		t.dots[i].Resize(fyne.NewSize(2*r, 2*r))
		if i < len(t.segs) {
			t.segs[i].Position1 = fyne.NewPos(x(i), py)
			t.segs[i].Position2 = fyne.NewPos(x(i+1), y(t.pts[i+1].Figure.Value))
		}
		if m := t.marks[i]; m != nil {
			ms := m.MinSize()
			m.Move(fyne.NewPos(x(i)-ms.Width/2, y(0)-ms.Height-2))
			m.Resize(ms)
		}
		if xt := t.xTxt[i]; xt != nil {
			xs := xt.MinSize()
			xt.Move(fyne.NewPos(x(i)-xs.Width/2, size.Height-bottom+8))
			xt.Resize(xs)
		}
	}
}
