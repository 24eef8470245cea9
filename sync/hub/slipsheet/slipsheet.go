// Package slipsheet draws a print run of rating slips (hub.Slip) as an A4
// PDF of small cut-out slips: each with its QR code (the hub URL that opens
// the survey on a phone, with the slip's signature for kiosks that check it
// offline: slip.ScanURL), the code printed large for typing, and a short
// instruction, Vietnamese first (assets/i18n/slipsheet). Text is drawn in
// Noto Sans (assets/fonts), embedded in the file, so diacritics print on
// any printer. The QR codes are vector squares: sharp at any resolution.
//
// It imports neither Fyne nor a store; the hub command `slips` and the
// dashboard both call Write.
package slipsheet

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets/fonts"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// The grid, in millimetres: A4 portrait, Columns × Rows slips a page
// inside a margin most printers can print to.
const (
	Columns = 2
	Rows    = 7
	PerPage = Columns * Rows

	pageW, pageH = 210.0, 297.0
	margin       = 10.0
	cellW        = (pageW - 2*margin) / Columns
	cellH        = (pageH - 2*margin) / Rows
	pad          = 3.0
	qrSize       = cellH - 2*pad
)

// Options says how to draw a run.
type Options struct {
	// BaseURL is the hub's address as citizens' phones reach it
	// ("https://hub.phuong-ba-dinh.vn"): the QR codes point below it.
	BaseURL string
	// Key is the hub's slip key (Hub.SlipKey), which signs every slip.
	Key ed25519.PrivateKey
	// Lang is the language of the texts, "vi" (the default) or "en".
	Lang string
}

// Write draws slips, PerPage a page in their order, to w as a PDF. The
// slips must be one print run's (the footer names the first one's service
// point and day).
func Write(w io.Writer, slips []hub.Slip, opt Options) error {
	switch {
	case len(slips) == 0:
		return errors.New("slip sheet: no slips")
	case len(opt.Key) != ed25519.PrivateKeySize:
		return errors.New("slip sheet: no slip key")
	case opt.BaseURL == "":
		return errors.New("slip sheet: no hub URL for the QR codes")
	}
	if opt.Lang == "" {
		opt.Lang = "vi"
	}
	cat, err := i18n.Shared("slipsheet")
	if err != nil {
		return fmt.Errorf("slip sheet: %w", err)
	}
	tr := cat.In(opt.Lang)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes("noto", "", fonts.NotoSansRegular)
	pdf.AddUTF8FontFromBytes("noto", "B", fonts.NotoSansBold)
	first := slips[0]
	printed := first.PrintedAt
	pdf.SetCreationDate(printed)
	pdf.SetModificationDate(printed)
	pdf.SetTitle(tr.T("slipsheet.title")+" — "+first.ServicePoint, true)
	pdf.SetCreator("hailong-hub", true)
	pdf.SetLang(opt.Lang)
	day := printed.In(survey.Location()).Format("02/01/2006")
	pages := (len(slips) + PerPage - 1) / PerPage
	for p := range pages {
		pdf.AddPage()
		page := slips[p*PerPage : min(len(slips), (p+1)*PerPage)]
		cutLines(pdf, len(page))
		for i, sl := range page {
			x := margin + float64(i%Columns)*cellW
			y := margin + float64(i/Columns)*cellH
			if err := drawSlip(pdf, tr, x, y, sl, opt); err != nil {
				return err
			}
		}
		pdf.SetFont("noto", "", 7)
		pdf.SetTextColor(90, 90, 90)
		footer := tr.T("slipsheet.footer", map[string]any{"Point": first.ServicePoint, "Day": day, "Page": p + 1, "Pages": pages})
		pdf.SetXY(margin, pageH-margin+2)
		pdf.CellFormat(pageW-2*margin, 4, footer, "", 0, "C", false, 0, "")
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("slip sheet: %w", err)
	}
	return nil
}

// cutLines draws the dashed lines to cut along around the first n cells.
func cutLines(pdf *fpdf.Fpdf, n int) {
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{2, 1.5}, 0)
	for i := range n {
		x := margin + float64(i%Columns)*cellW
		y := margin + float64(i/Columns)*cellH
		pdf.Rect(x, y, cellW, cellH, "D")
	}
	pdf.SetDashPattern(nil, 0)
}

// drawSlip draws one slip with its top left corner at (x, y).
func drawSlip(pdf *fpdf.Fpdf, tr *i18n.Translator, x, y float64, sl hub.Slip, opt Options) error {
	text := slip.ScanURL(opt.BaseURL, sl.Code, slip.Sign(opt.Key, sl.Code))
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("slip sheet: QR code of %s: %w", sl.Code, err)
	}
	drawQR(pdf, q.Bitmap(), x+pad, y+pad, qrSize)

	tx := x + pad + qrSize + pad
	tw := cellW - (tx - x) - pad
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("noto", "B", 9)
	pdf.SetXY(tx, y+pad)
	pdf.CellFormat(tw, 5, tr.T("slipsheet.title"), "", 0, "L", false, 0, "")
	pdf.SetFont("noto", "B", 17)
	pdf.SetXY(tx, y+pad+5.5)
	pdf.CellFormat(tw, 8, sl.Code.String(), "", 0, "L", false, 0, "")
	pdf.SetFont("noto", "", 6.8)
	pdf.SetXY(tx, y+pad+15)
	pdf.MultiCell(tw, 2.9, tr.T("slipsheet.instruction"), "", "L", false)
	pdf.SetFont("noto", "", 6.5)
	pdf.SetTextColor(70, 70, 70)
	pdf.SetXY(tx, y+cellH-pad-3.5)
	pdf.CellFormat(tw, 3.5, fitText(pdf, sl.ServicePoint, tw), "", 0, "L", false, 0, "")
	return nil
}

// drawQR draws a QR bitmap (quiet zone included) as black squares, one
// rectangle per horizontal run of dark modules, in a size × size square.
func drawQR(pdf *fpdf.Fpdf, bits [][]bool, x, y, size float64) {
	m := size / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m, "F")
		}
	}
}

// fitText returns s, shortened with an ellipsis if it is wider than w in
// the current font.
func fitText(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	for s != "" {
		_, size := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-size], " ")
		if pdf.GetStringWidth(s+"…") <= w {
			return s + "…"
		}
	}
	return ""
}
