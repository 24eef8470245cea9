package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/report"
)

// Charts are laid out here in plain numbers and drawn by the templates: the
// bars as HTML (labels wrap at any width), the trend as inline SVG whose
// text the page's CSS enlarges on a phone. The page needs no script and no
// network.

// figureBar is one labelled figure to chart.
type figureBar struct {
	Label  string
	Figure report.Figure
}

// figureText is how the pages show a figure's value in x's language.
func (x *texts) figureText(f report.Figure) string { return f.Format(x.lang) }

// barView is one question's bar: Pct is the filled share of the track.
type barView struct {
	Label string
	Pct   int
	Value string // "86,5 %", "< 5", "ẩn", "chưa có dữ liệu"
	Count string
	// Suppressed marks an empty, grey bar; Why says why in words.
	Suppressed bool
	Why        string
}

// barGroup is the bars of one survey, under its title.
type barGroup struct {
	Title string
	Bars  []barView
}

func newBars(x *texts, figs []figureBar) []barView {
	var out []barView
	for _, f := range figs {
		b := barView{Label: f.Label, Value: x.figureText(f.Figure), Count: f.Figure.Count(), Suppressed: f.Figure.Suppressed}
		switch {
		case f.Figure.NoData():
			b.Why = x.T("web.bar.no_data")
		case f.Figure.Secondary:
			b.Why = x.T("web.bar.secondary")
		case f.Figure.Suppressed:
			b.Why = x.T("web.bar.suppressed")
		default:
			b.Pct = int(f.Figure.Value + 0.5)
		}
		out = append(out, b)
	}
	return out
}

const (
	chartWidth = 760
	lineHeight = 280
	plotLeft   = 100
	plotTop    = 20
	plotW      = chartWidth - plotLeft - 28
	plotH      = lineHeight - plotTop - 64
)

type pointView struct {
	X, Y  int
	Label string
	Value string
	// Odd marks every other axis label, which a phone leaves out.
	Odd bool
}

// bandView marks a period whose figure is hidden: a grey band over the
// whole plot, so a hidden period never looks like 0 %.
type bandView struct {
	X, W  int
	Label string
	Value string
}

type tickView struct {
	Y     int
	Label string
}

type lineChart struct {
	Width, Height          int
	Left, Right, Top, Base int
	// Segments are polyline point lists; a hidden period breaks the line.
	Segments []string
	Points   []pointView
	Bands    []bandView
	// XLabels are the period labels shown under the axis (thinned out).
	XLabels []pointView
	Ticks   []tickView
	// Periods is the number of periods charted.
	Periods int
}

// newLineChart lays out one point per period; maxLabels bounds the labels
// under the axis so they stay readable on a phone.
func newLineChart(tx *texts, figs []figureBar, maxLabels int) lineChart {
	c := lineChart{Width: chartWidth, Height: lineHeight, Left: plotLeft, Right: plotLeft + plotW,
		Top: plotTop, Base: plotTop + plotH, Periods: len(figs)}
	for _, pct := range []int{0, 50, 100} {
		c.Ticks = append(c.Ticks, tickView{Y: c.Base - pct*plotH/100, Label: strconv.Itoa(pct) + " %"})
	}
	if len(figs) == 0 {
		return c
	}
	every := (len(figs) + maxLabels - 1) / maxLabels
	step := plotW
	if len(figs) > 1 {
		step = plotW / (len(figs) - 1)
	}
	var seg []string
	flush := func() {
		if len(seg) > 0 {
			c.Segments = append(c.Segments, strings.Join(seg, " "))
		}
		seg = nil
	}
	for i, f := range figs {
		x := plotLeft + plotW/2
		if len(figs) > 1 {
			x = plotLeft + i*plotW/(len(figs)-1)
		}
		if f.Figure.Suppressed {
			w := max(8, min(step, 40))
			c.Bands = append(c.Bands, bandView{X: x - w/2, W: w, Label: f.Label, Value: tx.figureText(f.Figure)})
			flush()
		} else {
			p := pointView{X: x, Y: c.Base - int(f.Figure.Value/100*plotH+0.5), Label: f.Label, Value: tx.figureText(f.Figure)}
			seg = append(seg, fmt.Sprintf("%d,%d", p.X, p.Y))
			c.Points = append(c.Points, p)
		}
		if i%every == 0 || i == len(figs)-1 && (len(figs)-1)%every > every/2 {
			c.XLabels = append(c.XLabels, pointView{X: x, Label: f.Label, Odd: len(c.XLabels)%2 == 1})
		}
	}
	flush()
	return c
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"neg": func(a int) int { return -a },
}

func itoa(n int) string { return strconv.Itoa(n) }
