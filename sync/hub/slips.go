package hub

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// Slip is one rating slip the hub printed (sync/slip, docs/slips.md). It
// holds no link to any file or person: where and when it was printed, and
// the response that used it first.
type Slip struct {
	Code slip.Code
	// ServicePoint is the desk it was printed for (NFC, trimmed).
	ServicePoint string
	// BatchID names the print run (one `hailong-hub slips` or one
	// dashboard download) it belongs to.
	BatchID   string
	PrintedAt time.Time
	// UsedBy is the id of the first response that carried the slip, ""
	// while unused; UsedAt is when the hub accepted it and UsedDevice the
	// device that sent it.
	UsedBy     string
	UsedAt     time.Time
	UsedDevice string
}

// SlipStatus is what the hub found of the slip a response carried, stored
// with the response so that figures can tell slip ratings from others.
type SlipStatus string

const (
	// SlipNone: the response carries no slip.
	SlipNone SlipStatus = ""
	// SlipFirst: the first use of a slip the hub printed. Only these
	// responses count as slip ratings.
	SlipFirst SlipStatus = "first"
	// SlipUnknown: the hub never printed this code (a forged, mistyped
	// past its check symbol, or malformed code). Flagged.
	SlipUnknown SlipStatus = "unknown"
	// SlipReused: another response used the slip first. Flagged.
	SlipReused SlipStatus = "reused"
	// SlipElsewhere: the first use of a slip the hub printed, by a
	// response from another service point than the one it was printed
	// for (SlipAt). The slip is used (by this response, as with
	// SlipFirst), but the response is flagged and is no slip rating of
	// either point.
	SlipElsewhere SlipStatus = "elsewhere"
)

// Flagged reports whether the response carried a slip that does not count.
func (s SlipStatus) Flagged() bool {
	return s == SlipUnknown || s == SlipReused || s == SlipElsewhere
}

// WebDeviceID is the device id of the responses citizens give on their
// phones at the hub's slip page (/s/CODE): the hub signs them with its web
// key (Hub.WebDevice) and ingests them as any device's.
const WebDeviceID = "hub-web"

// Slip channels: how a rating reached the hub, as the figures split them
// (docs/reports.md, "Rating slips"). A response with no slip has none ("").
const (
	// ChannelDesk: a slip rating given at a kiosk (status SlipFirst).
	ChannelDesk = "desk"
	// ChannelHome: a slip rating given at the phone page (SlipFirst, from
	// WebDeviceID).
	ChannelHome = "home"
	// ChannelFlagged: a response whose slip is flagged (Flagged).
	ChannelFlagged = "flagged"
)

// SlipChannel is the channel of a response from deviceID whose slip the
// store found st: "" without a slip.
func SlipChannel(st SlipStatus, deviceID string) string {
	switch {
	case st == SlipFirst && deviceID == WebDeviceID:
		return ChannelHome
	case st == SlipFirst:
		return ChannelDesk
	case st.Flagged():
		return ChannelFlagged
	}
	return ""
}

// SlipAt is what a store decides for an accepted response that used a
// slip (useStatus SlipFirst): SlipElsewhere when the slip was printed for
// another service point than both the response's and its device's (the
// point the operator enrolled it for), else SlipFirst; any other status is
// returned as it is. Either name matching is enough, so that a kiosk whose
// own service point setting is spelled otherwise than its enrollment is
// not taken for a slip carried to another ward. Names are NFC and trimmed.
func SlipAt(useStatus SlipStatus, printedFor, responsePoint, devicePoint string) SlipStatus {
	if useStatus == SlipFirst && printedFor != responsePoint && printedFor != devicePoint {
		return SlipElsewhere
	}
	return useStatus
}

// SlipPrint is how many slips were printed for one service point on one
// day (Store.SlipPrints).
type SlipPrint struct {
	// Day is the day of printing in Asia/Ho_Chi_Minh, "2006-01-02".
	Day          string
	ServicePoint string
	Printed      int
}

// SlipPrintRows sums slips into their SlipPrint rows, sorted by day then
// service point: what a store adds in IssueSlips.
func SlipPrintRows(slips []Slip) []SlipPrint {
	idx := map[[2]string]int{}
	var out []SlipPrint
	for _, sl := range slips {
		k := [2]string{sl.PrintedAt.In(survey.Location()).Format(DayFormat), sl.ServicePoint}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, SlipPrint{Day: k[0], ServicePoint: k[1]})
		}
		out[i].Printed++
	}
	slices.SortFunc(out, func(a, b SlipPrint) int {
		return cmp.Or(strings.Compare(a.Day, b.Day), strings.Compare(a.ServicePoint, b.ServicePoint))
	})
	return out
}

// MaxSlipBatch bounds one print run: ten sheets of a hundred slips would
// already be a month of a busy desk; more is a typing error.
const MaxSlipBatch = 2000

// MaxSlipText bounds the slip text a response may carry into the store
// (a code is 10 symbols; anything longer than this is not one).
const MaxSlipText = 64

// ErrInvalidSlipBatch means a print run was refused before anything was
// stored (service point empty or too long, count out of range).
var ErrInvalidSlipBatch = errors.New("invalid slip batch")

// CheckServicePoint returns name NFC and trimmed, or an error saying why it
// cannot name a service point (empty, over MaxServicePoint characters,
// control characters).
func CheckServicePoint(name string) (string, error) {
	name = norm.NFC.String(strings.TrimSpace(name))
	switch {
	case name == "":
		return "", errors.New("the service point is empty")
	case !utf8.ValidString(name):
		return "", errors.New("the service point is not valid UTF-8")
	case utf8.RuneCountInString(name) > MaxServicePoint:
		return "", fmt.Errorf("the service point is longer than %d characters", MaxServicePoint)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", errors.New("the service point contains control characters")
	}
	return name, nil
}

// NewSlipBatch returns count new slips for servicePoint, printed at now,
// with one new batch id and distinct random codes read from r (crypto/rand
// when nil). Errors wrap ErrInvalidSlipBatch.
func NewSlipBatch(servicePoint string, count int, now time.Time, r io.Reader) ([]Slip, error) {
	point, err := CheckServicePoint(servicePoint)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidSlipBatch, err)
	}
	if count < 1 || count > MaxSlipBatch {
		return nil, fmt.Errorf("%w: %d slips is not between 1 and %d", ErrInvalidSlipBatch, count, MaxSlipBatch)
	}
	if r == nil {
		r = rand.Reader
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new slip batch: %w", err)
	}
	out := make([]Slip, 0, count)
	seen := make(map[slip.Code]bool, count)
	for len(out) < count {
		c, err := slip.New(r)
		if err != nil {
			return nil, fmt.Errorf("new slip batch: %w", err)
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, Slip{Code: c, ServicePoint: point, BatchID: "slips-" + id.String(), PrintedAt: now.UTC()})
	}
	return out, nil
}

// IssueSlips makes and stores a print run of count slips for servicePoint
// (NewSlipBatch, then Store.IssueSlips) and returns them. A code that
// collides with a stored one (45 random bits: rare) makes it draw the
// whole run again, a few times at most.
func (h *Hub) IssueSlips(ctx context.Context, servicePoint string, count int) ([]Slip, error) {
	for attempt := 1; ; attempt++ {
		slips, err := NewSlipBatch(servicePoint, count, h.now(), nil)
		if err != nil {
			return nil, err
		}
		err = h.store.IssueSlips(ctx, slips)
		if err == nil {
			h.log.Info("slips issued", "batch", slips[0].BatchID, "service_point", slips[0].ServicePoint, "count", len(slips))
			return slips, nil
		}
		if !errors.Is(err, ErrConflict) || attempt == 3 {
			return nil, fmt.Errorf("issue slips: %w", err)
		}
	}
}

// SlipKey returns the hub's slip signing key: the one stored, or, the
// first time, a new one stored now (Store.SlipKey keeps the first of
// concurrent hubs). The key is cached for the Hub's life.
func (h *Hub) SlipKey(ctx context.Context) (ed25519.PrivateKey, error) {
	h.mu.Lock()
	k := h.slipKey
	h.mu.Unlock()
	if k != nil {
		return k, nil
	}
	_, candidate, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("slip key: %w", err)
	}
	k, err = h.store.SlipKey(ctx, candidate, h.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("slip key: %w", err)
	}
	if len(k) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("slip key: stored key has %d bytes, want %d", len(k), ed25519.PrivateKeySize)
	}
	h.mu.Lock()
	h.slipKey = k
	h.mu.Unlock()
	return k, nil
}

// slipText is the slip a response item carried as the store keeps it: the
// compact code when it parses, else the text as sent, trimmed and cut to
// MaxSlipText bytes (it can match no printed slip, so it is flagged
// SlipUnknown), "" for none.
func slipText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if c, err := slip.ParseCode(s); err == nil {
		return c.Compact()
	}
	if len(s) > MaxSlipText {
		s = strings.ToValidUTF8(s[:MaxSlipText], "")
	}
	return s
}
