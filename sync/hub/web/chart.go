package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/report"
)

// Charts are laid out here in plain numbers and drawn by the templates as
// inline SVG, so the page needs no script and no network.

// figureBar is one labelled figure to chart.
type figureBar struct {
	Label  string
	Figure report.Figure
}

const (
	chartWidth = 760
	barLeft    = 10
	barMax     = 640 // width of a 100 % bar
	barRow     = 58  // label line + bar + gap
)

type barView struct {
	Label      string
	Y, TextY   int
	Width      int
	ValueX     int
	Value      string
	Count      string
	Suppressed bool
}

type barChart struct {
	Width, Height int
	Bars          []barView
}

func newBarChart(figs []figureBar) barChart {
	c := barChart{Width: chartWidth, Height: len(figs)*barRow + 10}
	for i, f := range figs {
		y := i * barRow
		b := barView{Label: f.Label, TextY: y + 18, Y: y + 26, Value: f.Figure.Format("vi"),
			Count: f.Figure.Count(), Suppressed: f.Figure.Suppressed}
		if !b.Suppressed {
			b.Width = int(f.Figure.Value / 100 * barMax)
		}
		b.ValueX = barLeft + b.Width + 8
		c.Bars = append(c.Bars, b)
	}
	return c
}

const (
	lineHeight = 260
	plotLeft   = 56
	plotTop    = 16
	plotW      = chartWidth - plotLeft - 24
	plotH      = lineHeight - plotTop - 44
)

type pointView struct {
	X, Y       int
	Label      string
	Value      string
	Suppressed bool
}

type tickView struct {
	Y     int
	Label string
}

type lineChart struct {
	Width, Height          int
	Left, Right, Top, Base int
	// Segments are polyline point lists; a suppressed day breaks the line.
	Segments []string
	Points   []pointView
	// XLabels are the day labels shown under the axis (thinned out).
	XLabels []pointView
	Ticks   []tickView
}

func newLineChart(figs []figureBar) lineChart {
	c := lineChart{Width: chartWidth, Height: lineHeight, Left: plotLeft, Right: plotLeft + plotW,
		Top: plotTop, Base: plotTop + plotH}
	for _, pct := range []int{0, 50, 100} {
		c.Ticks = append(c.Ticks, tickView{Y: c.Base - pct*plotH/100, Label: strconv.Itoa(pct) + " %"})
	}
	if len(figs) == 0 {
		return c
	}
	every := (len(figs) + 7) / 8
	var seg []string
	flush := func() {
		if len(seg) > 0 {
			c.Segments = append(c.Segments, strings.Join(seg, " "))
		}
		seg = nil
	}
	for i, f := range figs {
		p := pointView{X: plotLeft + plotW/2, Label: f.Label, Value: f.Figure.Format("vi"), Suppressed: f.Figure.Suppressed}
		if len(figs) > 1 {
			p.X = plotLeft + i*plotW/(len(figs)-1)
		}
		if p.Suppressed {
			p.Y = c.Base
			flush()
		} else {
			p.Y = c.Base - int(f.Figure.Value/100*plotH)
			seg = append(seg, fmt.Sprintf("%d,%d", p.X, p.Y))
		}
		c.Points = append(c.Points, p)
		if i%every == 0 || i == len(figs)-1 {
			c.XLabels = append(c.XLabels, p)
		}
	}
	flush()
	return c
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
}

func itoa(n int) string { return strconv.Itoa(n) }
