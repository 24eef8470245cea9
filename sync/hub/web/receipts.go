package web

import (
	"context"
	"encoding/json"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Receipts is what the public receipt page and /api/v1/roots read from the
// hub's storage (see hub.Store).
type Receipts interface {
	// ReceiptDays returns the chain days on which a response with receipt
	// code r was accepted, none when the hub holds no such response.
	ReceiptDays(ctx context.Context, r protocol.Receipt) ([]string, error)
	// DayRoots returns the root of every chain day, oldest first.
	DayRoots(ctx context.Context) ([]hub.DayRoot, error)
}

// Public paths: no login, nothing about any answer.
const (
	// PathReceipts is the page where a citizen checks a receipt code.
	PathReceipts = "/receipts"
	// PathRoots answers the day roots as JSON (RootsList).
	PathRoots = "/api/v1/roots"
)

// pageRoots is how many days the receipt page lists; /api/v1/roots has all.
const pageRoots = 31

// RootsList is the body of GET /api/v1/roots.
type RootsList struct {
	// TimeZone names the zone of the days; Hash the hash function.
	TimeZone string     `json:"time_zone"`
	Hash     string     `json:"hash"`
	Roots    []RootJSON `json:"roots"`
}

// RootJSON is one day's root. Closed is false for the hub's current day,
// whose root still moves as responses arrive.
type RootJSON struct {
	Day       string `json:"day"`
	Root      string `json:"root"`
	LastEntry int64  `json:"last_entry"`
	Entries   int64  `json:"entries"`
	Closed    bool   `json:"closed"`
}

// rootsOf returns the roots in their JSON form, oldest first.
func (d *Dashboard) rootsOf(ctx context.Context) ([]RootJSON, error) {
	roots, err := d.cfg.Receipts.DayRoots(ctx)
	if err != nil {
		return nil, err
	}
	today := hub.ChainDay(d.now())
	out := make([]RootJSON, len(roots))
	for i, r := range roots {
		out[i] = RootJSON{Day: r.Day, Root: r.RootHex(), LastEntry: r.LastSeq, Entries: r.Entries, Closed: r.Day < today}
	}
	return out, nil
}

// roots serves GET /api/v1/roots.
func (d *Dashboard) roots(w http.ResponseWriter, r *http.Request) {
	if d.cfg.Receipts == nil {
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "board.roots.off")
		return
	}
	roots, err := d.rootsOf(r.Context())
	if err != nil {
		d.log.Error("day roots", "err", err)
		d.fail(w, r, http.StatusInternalServerError, protocol.CodeInternal, "board.roots.failed")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Access-Control-Allow-Origin", "*") // public data: anyone may copy it
	_ = json.NewEncoder(w).Encode(RootsList{TimeZone: "Asia/Ho_Chi_Minh", Hash: "sha256", Roots: roots})
}

// receiptView is what templates/receipts.html shows.
type receiptView struct {
	Code string // as typed
	// Exactly one of these is set once a code was asked about.
	Invalid bool
	Unknown bool
	Days    []dayView
	// DaysVI and DaysEN list Days as the result's sentence does: the
	// Vietnamese days in bold.
	DaysVI template.HTML
	DaysEN string
	Failed bool
	Roots  []dayRootView
}

type dayView struct{ VI, EN string }

type dayRootView struct {
	Day     dayView
	Root    string
	Entries int64
	Open    bool
}

// dayOf formats a chain day "2006-01-02" for each language.
func dayOf(day string) dayView {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return dayView{VI: day, EN: day}
	}
	return dayView{VI: t.Format("02/01/2006"), EN: t.Format("2 January 2006")}
}

// receipts serves the public receipt page: GET /receipts, and
// GET /receipts?code=... to check a code.
func (d *Dashboard) receipts(w http.ResponseWriter, r *http.Request) {
	if d.cfg.Receipts == nil {
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "board.receipts.off")
		return
	}
	ctx := r.Context()
	v := receiptView{Code: r.URL.Query().Get("code")}
	status := http.StatusOK
	if r.URL.Query().Has("code") {
		code, err := protocol.ParseReceipt(v.Code)
		switch {
		case err != nil:
			v.Invalid = true
		default:
			days, err := d.cfg.Receipts.ReceiptDays(ctx, code)
			switch {
			case err != nil:
				d.log.Error("receipt lookup", "err", err)
				v.Failed, status = true, http.StatusInternalServerError
			case len(days) == 0:
				v.Unknown = true
			default:
				v.Code = code.String()
				var vi, en []string
				for _, day := range days {
					dv := dayOf(day)
					v.Days = append(v.Days, dv)
					vi, en = append(vi, "<b>"+html.EscapeString(dv.VI)+"</b>"), append(en, dv.EN)
				}
				v.DaysVI, v.DaysEN = template.HTML(strings.Join(vi, ", ")), strings.Join(en, ", ")
			}
		}
	}
	roots, err := d.rootsOf(ctx)
	if err != nil {
		d.log.Error("day roots", "err", err)
		v.Failed, status = true, http.StatusInternalServerError
	}
	slices.Reverse(roots) // newest first
	for _, rt := range roots[:min(len(roots), pageRoots)] {
		v.Roots = append(v.Roots, dayRootView{Day: dayOf(rt.Day), Root: rt.Root, Entries: rt.Entries, Open: !rt.Closed})
	}
	d.render(w, r, status, "receipts.html", v)
}
