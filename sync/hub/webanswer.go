package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// Answers given on a phone at the hub's slip page (docs/slips.md, "At
// home"). No kiosk signs them, so the hub stands in for one: the device
// WebDeviceID, whose Ed25519 key is derived from the slip key (webKey), so
// that every hub process sharing the database signs with the same key and
// needs nothing more stored. The hub signs each answer as a version 3 item
// and ingests it through the same checks and the same Store.Ingest as any
// upload: the response is stored with its signature, gets its chain entry
// and receipt, counts in the rollup (channel "home"), and exports name its
// device like any other. `hailong-hub verify` checks its signature with the
// web device's public key, as for a kiosk.

// Errors of SubmitWebAnswer and WebSlip, tested with errors.Is.
var (
	// ErrSlipNotPrinted: the hub never printed this code.
	ErrSlipNotPrinted = errors.New("the hub never printed this slip")
	// ErrSlipUsed: the slip was used already, at a kiosk or on a phone.
	ErrSlipUsed = errors.New("the slip was used already")
	// ErrWebAnswers: the answers are not a valid response to the survey.
	ErrWebAnswers = errors.New("the answers are not valid")
	// ErrWebClosed: the web device was revoked: the phone page is closed.
	ErrWebClosed = errors.New("answers on the phone page are closed")
	// ErrNoWebSurvey: no published survey to show.
	ErrNoWebSurvey = errors.New("no published survey")
)

// webKeyDomain separates the derivation of the web key from any other use
// of the slip key's seed.
const webKeyDomain = "hailong/web-device/v1\n"

// webKey derives the web device's key from the slip key.
func webKey(slipKey ed25519.PrivateKey) ed25519.PrivateKey {
	sum := sha256.Sum256(append([]byte(webKeyDomain), slipKey.Seed()...))
	return ed25519.NewKeyFromSeed(sum[:])
}

// WebDevice returns the web device, active with the web key: created and
// claimed the first time (by any hub process: its enrollment code is
// derived from the key too, so a claim interrupted by a crash is finished
// by the next call), and its key.
func (h *Hub) WebDevice(ctx context.Context) (*Device, ed25519.PrivateKey, error) {
	sk, err := h.SlipKey(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("web device: %w", err)
	}
	key := webKey(sk)
	pub := key.Public().(ed25519.PublicKey)
	d, err := h.store.Device(ctx, WebDeviceID)
	if err == nil && bytes.Equal(d.PublicKey, pub) {
		return d, key, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("web device: %w", err)
	}
	mac := hmac.New(sha256.New, key.Seed())
	mac.Write([]byte("enroll"))
	codeHash := hashSecret(hex.EncodeToString(mac.Sum(nil)))
	now := h.now().UTC()
	if d == nil {
		nd := &Device{ID: WebDeviceID, Name: "Trang trả lời tại nhà (phiếu đánh giá)", CreatedAt: now, CodeExpiresAt: now.AddDate(100, 0, 0)}
		if err := h.store.CreateDevice(ctx, nd, codeHash); err != nil && !errors.Is(err, ErrConflict) {
			return nil, nil, fmt.Errorf("web device: %w", err)
		}
	}
	var token [32]byte
	if _, err := rand.Read(token[:]); err != nil {
		return nil, nil, fmt.Errorf("web device: %w", err)
	}
	// The token is never handed out: the web device uploads nothing.
	if _, err := h.store.ClaimDevice(ctx, codeHash, pub, hashSecret(hex.EncodeToString(token[:])), now); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("web device: %w", err)
	}
	d, err = h.store.Device(ctx, WebDeviceID)
	if err != nil {
		return nil, nil, fmt.Errorf("web device: %w", err)
	}
	if !bytes.Equal(d.PublicKey, pub) {
		return nil, nil, fmt.Errorf("web device %s has another key than the hub's web key", WebDeviceID)
	}
	return d, key, nil
}

// WebSlip returns the printed slip with code c and the survey its service
// point answers on a phone (WebSurvey), or an error wrapping
// ErrSlipNotPrinted, ErrNoWebSurvey, or ErrSlipUsed (with the slip and
// the survey, for a page that sends its answer again).
func (h *Hub) WebSlip(ctx context.Context, c slip.Code) (*Slip, *survey.Survey, error) {
	sl, err := h.store.Slip(ctx, c)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("slip %s: %w", c, ErrSlipNotPrinted)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("slip %s: %w", c, err)
	}
	s, err := h.WebSurvey(ctx, sl.ServicePoint)
	if err != nil {
		return sl, nil, err
	}
	if sl.UsedBy != "" {
		return sl, s, fmt.Errorf("slip %s: %w", c, ErrSlipUsed)
	}
	return sl, s, nil
}

// WebSurvey is the survey a service point's slips open on a phone: of the
// newest version of every published survey, those asking for slips (or all,
// when none does), the one with the most responses at the point (the one
// its kiosks run), ties and a point without responses going to the first
// survey id.
func (h *Hub) WebSurvey(ctx context.Context, point string) (*survey.Survey, error) {
	latest, err := h.store.LatestSurveys(ctx)
	if err != nil {
		return nil, fmt.Errorf("web survey: %w", err)
	}
	var all, slips []*survey.Survey
	for _, ps := range latest {
		s, err := h.surveyVersion(ctx, ps.ID, ps.Version)
		if err != nil {
			return nil, fmt.Errorf("web survey: %w", err)
		}
		if s.QuestionCount() == 0 {
			continue
		}
		all = append(all, s)
		if s.Slip.Uses() {
			slips = append(slips, s)
		}
	}
	if len(slips) > 0 {
		all = slips
	}
	switch len(all) {
	case 0:
		return nil, ErrNoWebSurvey
	case 1:
		return all[0], nil
	}
	used := map[string]int{}
	for c, err := range h.store.Figures(ctx, Filter{ServicePoint: point}) {
		if err != nil {
			return nil, fmt.Errorf("web survey: %w", err)
		}
		used[c.SurveyID] += c.Responses
	}
	slices.SortStableFunc(all, func(a, b *survey.Survey) int { return used[b.ID] - used[a.ID] })
	return all[0], nil
}

// WebAnswer is one phone answer to submit: the slip, and the response
// without device, service point or slip (the hub sets them).
type WebAnswer struct {
	Code     slip.Code
	Response *survey.Response
}

// WebReceipt is what a stored phone answer gives back: its receipt code.
type WebReceipt struct {
	Receipt protocol.Receipt
	// Again is set when the answer had been stored already (a retry).
	Again bool
}

// SubmitWebAnswer checks a phone answer, uses its slip and stores it as a
// response of the web device from the slip's service point, with the slip
// (docs/slips.md). The slip must be printed and unused, or used by this
// very response (a retry after a failure, which stores it, or finds it
// stored); the answers must be a valid complete response to the published
// survey version they name. Errors wrap ErrSlipNotPrinted, ErrSlipUsed,
// ErrWebAnswers or ErrWebClosed; with any error nothing is stored, except
// that a slip whose use committed stays used by this response id, which a
// retry with the same id completes.
func (h *Hub) SubmitWebAnswer(ctx context.Context, a WebAnswer) (*WebReceipt, error) {
	dev, key, err := h.WebDevice(ctx)
	if err != nil {
		return nil, err
	}
	if dev.State() == "revoked" {
		return nil, ErrWebClosed
	}
	sl, err := h.store.Slip(ctx, a.Code)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("slip %s: %w", a.Code, ErrSlipNotPrinted)
	}
	if err != nil {
		return nil, fmt.Errorf("web answer: %w", err)
	}
	r := *a.Response
	r.DeviceID, r.ServicePoint, r.Slip, r.EventTag, r.Assisted = WebDeviceID, sl.ServicePoint, a.Code.Compact(), "", false
	r.Status = survey.StatusComplete
	if sl.UsedBy != "" && sl.UsedBy != r.ID {
		return nil, fmt.Errorf("slip %s: %w", a.Code, ErrSlipUsed)
	}
	protocol.Normalize(&r)
	if err := protocol.CheckResponse(&r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebAnswers, err)
	}
	s, err := h.surveyVersion(ctx, r.SurveyID, r.SurveyVersion)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: survey %s version %d is not published", ErrWebAnswers, r.SurveyID, r.SurveyVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("web answer: %w", err)
	}
	if err := survey.CheckAnswers(s, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebAnswers, err)
	}
	// The slip is taken before the answer is stored, so that of two
	// phones sending one slip at once exactly one is stored, and the
	// other refused, not stored flagged.
	switch st, err := h.store.UseSlip(ctx, r.Slip, r.ID, WebDeviceID, h.now().UTC()); {
	case err != nil:
		return nil, fmt.Errorf("web answer: %w", err)
	case st == SlipUnknown:
		return nil, fmt.Errorf("slip %s: %w", a.Code, ErrSlipNotPrinted)
	case st != SlipFirst:
		return nil, fmt.Errorf("slip %s: %w", a.Code, ErrSlipUsed)
	}
	// A phone answer's number is its start in milliseconds: it has no
	// outbox to number from, the number stays the same when the citizen
	// sends again, and the web device sends no mark, so no gap is ever
	// reported for it.
	it, err := protocol.SignV3(key, &r, max(1, r.StartedAt.UnixMilli()), r.Slip)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebAnswers, err)
	}
	res, err := h.ingest(ctx, "web", &protocol.Batch{Items: []protocol.Item{it}}, func(_ context.Context, _ protocol.Item) (*Device, *protocol.Result) {
		return dev, nil
	})
	if err != nil {
		return nil, fmt.Errorf("web answer: %w", err)
	}
	out := res.Results[0]
	switch out.Outcome {
	case protocol.Accepted, protocol.Duplicate:
		content, err := protocol.ItemContent(it)
		if err != nil {
			return nil, fmt.Errorf("web answer: %w", err)
		}
		return &WebReceipt{Receipt: protocol.ReceiptFor(content), Again: out.Outcome == protocol.Duplicate}, nil
	case protocol.Conflict: // sent again with another finish time: the first stays
		stored, err := h.store.Response(ctx, r.ID)
		if err != nil {
			return nil, fmt.Errorf("web answer: %w", err)
		}
		content, err := protocol.CanonicalV3(protocol.NewResponseV1(stored), it.Seq, r.Slip)
		if err != nil {
			return nil, fmt.Errorf("web answer: %w", err)
		}
		return &WebReceipt{Receipt: protocol.ReceiptFor(content), Again: true}, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrWebAnswers, out.Message)
}

// webStartLimit bounds how old a phone page's start may be: older is a
// form kept open for days or an edited one, and the answer starts now.
const webStartLimit = 24 * time.Hour

// WebStart is the start time a phone answer is stored with: started as
// the page says, unless that is in the future or over a day ago (the
// page is the citizen's, not to be trusted), then now.
func (h *Hub) WebStart(started time.Time) time.Time {
	now := h.now().UTC()
	if started.IsZero() || started.After(now) || now.Sub(started) > webStartLimit {
		return now
	}
	return started.UTC()
}

// WebFormKey is the key the phone page authenticates its hidden fields
// with (derived from the web key, the same in every hub process).
func (h *Hub) WebFormKey(ctx context.Context) ([]byte, error) {
	sk, err := h.SlipKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("web form key: %w", err)
	}
	mac := hmac.New(sha256.New, webKey(sk).Seed())
	mac.Write([]byte("form"))
	return mac.Sum(nil), nil
}
