package protocol

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/sync/help"
)

// Staff help requests (issue #11: help with the online public-service
// portal) travel on their own path, PathHelp, beside the response batches
// and the feedback cases: an extension of version 1 that older kiosks
// never call and older hubs answer 404 (the kiosk keeps its requests
// pending until the hub is upgraded).
//
// A request is sent in its current state, signed by its device behind the
// domain "hailong/help/v1\n" over HelpCanonical: open (no outcome) or
// resolved (outcome, reason, note, resolved_at). A request raised and
// resolved between two syncs is sent once, resolved. One sent open and
// resolved later is sent again, resolved: the hub replaces the open state
// with the resolved one (Accepted), takes the same state again as a
// Duplicate, an open state after the resolved one as a Duplicate (a late
// redelivery), and any other change of the request as a Conflict.

// PathHelp takes a HelpBatch (POST) and answers a BatchResult, one Result
// per request (its id), with the outcomes of responses.
const PathHelp = "/api/v1/help"

// MaxHelpItems is the most requests one help batch carries.
const MaxHelpItems = 100

// MaxHelpBytes bounds an encoded help batch.
const MaxHelpBytes = 256 << 10

// helpDomain prefixes the signed bytes of a request.
const helpDomain = "hailong/help/v1\n"

// HelpV1 is a help request as it travels and is signed, version 1: a
// frozen wire form, not the kiosk's store type.
type HelpV1 struct {
	// ID is the request's UUID, made on the kiosk; it identifies the
	// request for idempotency across its states.
	ID string `json:"id"`
	// Source is help.SourceWelcome or help.SurveySource's form.
	Source       string    `json:"source"`
	Lang         string    `json:"lang"`
	ServicePoint string    `json:"service_point"`
	DeviceID     string    `json:"device_id"`
	CreatedAt    time.Time `json:"created_at"`
	// Outcome is "" while the request is open, else one of help.Outcomes;
	// Reason, Note and ResolvedAt come with it (help.CheckResolution).
	Outcome    string    `json:"outcome"`
	Reason     string    `json:"reason"`
	Note       string    `json:"note"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
}

// Resolved reports whether r carries an outcome.
func (r *HelpV1) Resolved() bool { return r.Outcome != "" }

// HelpItem is a request with its device's signature.
type HelpItem struct {
	Request   HelpV1 `json:"request"`
	Signature []byte `json:"signature"`
}

// HelpBatch is what a kiosk posts to PathHelp.
type HelpBatch struct {
	Items []HelpItem `json:"items"`
}

// Normalize puts r's text in NFC and its times in UTC milliseconds.
func (r *HelpV1) Normalize() {
	for _, s := range []*string{&r.ID, &r.Source, &r.Lang, &r.ServicePoint, &r.DeviceID, &r.Outcome, &r.Reason, &r.Note} {
		*s = norm.NFC.String(*s)
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Millisecond)
	if !r.ResolvedAt.IsZero() {
		r.ResolvedAt = r.ResolvedAt.UTC().Truncate(time.Millisecond)
	}
}

// CheckHelp checks the rules every request meets: a canonical UUID, a
// source, language, service point, device and time within the limits, and
// a resolution that help.CheckResolution takes. It returns an *Error with
// CodeInvalid naming the first problem.
func CheckHelp(r *HelpV1) error {
	if u, err := uuid.Parse(r.ID); err != nil || u.String() != r.ID {
		return Errorf(CodeInvalid, "request id %q is not a canonical UUID", r.ID)
	}
	for _, f := range []struct{ name, v string }{{"source", r.Source}, {"lang", r.Lang}, {"service_point", r.ServicePoint}, {"device_id", r.DeviceID}} {
		if f.v == "" {
			return Errorf(CodeInvalid, "%s is empty", f.name)
		}
		if utf8.RuneCountInString(f.v) > MaxShortText {
			return Errorf(CodeInvalid, "%s is over %d characters", f.name, MaxShortText)
		}
	}
	if r.CreatedAt.IsZero() {
		return Errorf(CodeInvalid, "created_at is missing")
	}
	if err := help.CheckResolution(help.Outcome(r.Outcome), help.Reason(r.Reason), r.Note, r.CreatedAt, r.ResolvedAt); err != nil {
		return Errorf(CodeInvalid, "%s", err.Error())
	}
	return nil
}

// HelpCanonical returns the signed content of a request: compact JSON with
// every field in the fixed order id, source, lang, service_point,
// device_id, created_at, outcome, reason, note, resolved_at (TimeFormat,
// null while open). r should be normalised first.
func HelpCanonical(r *HelpV1) []byte {
	b := make([]byte, 0, 320+len(r.Note))
	field := func(name string) { b = append(append(append(b, '"'), name...), `":`...) }
	stamp := func(t time.Time) {
		b = append(b, '"')
		b = t.UTC().Truncate(time.Millisecond).AppendFormat(b, TimeFormat)
		b = append(b, '"')
	}
	b = append(b, '{')
	field("id")
	b = appendString(b, r.ID)
	for _, f := range []struct{ name, v string }{{"source", r.Source}, {"lang", r.Lang}, {"service_point", r.ServicePoint}, {"device_id", r.DeviceID}} {
		b = append(b, ',')
		field(f.name)
		b = appendString(b, f.v)
	}
	b = append(b, ',')
	field("created_at")
	stamp(r.CreatedAt)
	for _, f := range []struct{ name, v string }{{"outcome", r.Outcome}, {"reason", r.Reason}, {"note", r.Note}} {
		b = append(b, ',')
		field(f.name)
		b = appendString(b, f.v)
	}
	b = append(b, ',')
	field("resolved_at")
	if r.ResolvedAt.IsZero() {
		b = append(b, "null"...)
	} else {
		stamp(r.ResolvedAt)
	}
	return append(b, '}')
}

// SignHelp returns r, normalised, signed with the device's key.
func SignHelp(priv ed25519.PrivateKey, r HelpV1) (HelpItem, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return HelpItem{}, Errorf(CodeInvalid, "private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	r.Normalize()
	msg := domainMessage(helpDomain, HelpCanonical(&r))
	return HelpItem{Request: r, Signature: voi.Sign(voi.PrivateKey(priv), msg)}, nil
}

// VerifyHelp checks item's signature by pub over its request's content.
func VerifyHelp(pub ed25519.PublicKey, item HelpItem) error {
	if err := checkSizes(pub, item.Signature); err != nil {
		return err
	}
	r := item.Request
	r.Normalize()
	if !voi.VerifyWithOptions(voi.PublicKey(pub), domainMessage(helpDomain, HelpCanonical(&r)), item.Signature, VerifyOptions()) {
		return errNoVerify()
	}
	return nil
}

// DecodeHelpBatch reads a help batch strictly (the rules of DecodeBatch:
// size, UTF-8, no unknown fields, no trailing data), with 1 to
// MaxHelpItems items each with an id; every request comes back normalised.
func DecodeHelpBatch(r io.Reader) (*HelpBatch, error) {
	var b HelpBatch
	if err := Decode(r, MaxHelpBytes, &b); err != nil {
		return nil, err
	}
	if len(b.Items) == 0 || len(b.Items) > MaxHelpItems {
		return nil, Errorf(CodeInvalid, "a help batch has 1 to %d items, not %d", MaxHelpItems, len(b.Items))
	}
	for i := range b.Items {
		if b.Items[i].Request.ID == "" {
			return nil, Errorf(CodeInvalid, "item %d has no request id", i)
		}
		b.Items[i].Request.Normalize()
	}
	return &b, nil
}

// Encode returns b as JSON, refusing a batch the hub would refuse whole.
func (b *HelpBatch) Encode() ([]byte, error) {
	if len(b.Items) == 0 || len(b.Items) > MaxHelpItems {
		return nil, fmt.Errorf("help batch of %d items: want 1 to %d", len(b.Items), MaxHelpItems)
	}
	data, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxHelpBytes {
		return nil, fmt.Errorf("help batch of %d bytes is over %d", len(data), MaxHelpBytes)
	}
	return data, nil
}
