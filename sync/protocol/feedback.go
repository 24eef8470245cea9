package protocol

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// Feedback cases (issue #11: phản ánh, kiến nghị) travel on their own
// path, PathFeedback, beside the response batches: an extension of
// version 1 that older kiosks never call and older hubs answer 404 (the
// kiosk keeps its cases pending until the hub is upgraded). A case is
// signed by its device like a response, behind its own domain
// "hailong/feedback/v1\n", over FeedbackCanonical.

// PathFeedback takes a FeedbackBatch (POST) and answers a BatchResult, one
// Result per case (its id), with the outcomes of responses.
const PathFeedback = "/api/v1/feedback"

// MaxFeedbackItems is the most cases one feedback batch carries.
const MaxFeedbackItems = 100

// MaxFeedbackBytes bounds an encoded feedback batch.
const MaxFeedbackBytes = 1 << 20

// feedbackDomain prefixes the signed bytes of a case.
const feedbackDomain = "hailong/feedback/v1\n"

// FeedbackV1 is a case as it travels and is signed, version 1: a frozen
// wire form, not the kiosk's store type.
type FeedbackV1 struct {
	// ID is the case's UUID, made on the kiosk; it identifies the case for
	// idempotency.
	ID string `json:"id"`
	// Code is the citizen's case code in compact form (feedback.Code).
	Code string `json:"code"`
	// Category is one of feedback.Categories.
	Category string `json:"category"`
	// Text is the citizen's text, digits masked as configured; "" when
	// the category is sealed.
	Text string `json:"text"`
	// Sealed is the text sealed to the hub's inspection key when the
	// category is sealed (feedback.Seal), nil otherwise.
	Sealed []byte `json:"sealed"`
	// Source is "welcome" (the welcome screen's button) or
	// "survey:<id>@<version>" (a survey's feedback question).
	Source       string    `json:"source"`
	Lang         string    `json:"lang"`
	ServicePoint string    `json:"service_point"`
	DeviceID     string    `json:"device_id"`
	CreatedAt    time.Time `json:"created_at"`
}

// FeedbackItem is a case with its device's signature.
type FeedbackItem struct {
	Case      FeedbackV1 `json:"case"`
	Signature []byte     `json:"signature"`
}

// FeedbackBatch is what a kiosk posts to PathFeedback.
type FeedbackBatch struct {
	Items []FeedbackItem `json:"items"`
}

// Normalize puts c's text in NFC and its time in UTC milliseconds.
func (c *FeedbackV1) Normalize() {
	for _, s := range []*string{&c.ID, &c.Code, &c.Category, &c.Text, &c.Source, &c.Lang, &c.ServicePoint, &c.DeviceID} {
		*s = norm.NFC.String(*s)
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Millisecond)
}

// CheckFeedback checks the rules every case meets: a canonical UUID, a
// valid code in compact form, a known category, the text in clear for an
// open category and sealed (and nothing in clear) for a sealed one, the
// limits of text, a source, language, service point, device and time. It
// returns an *Error with CodeInvalid naming the first problem.
func CheckFeedback(c *FeedbackV1) error {
	if u, err := uuid.Parse(c.ID); err != nil || u.String() != c.ID {
		return Errorf(CodeInvalid, "case id %q is not a canonical UUID", c.ID)
	}
	if code, err := feedback.ParseCode(c.Code); err != nil || code.Compact() != c.Code {
		return Errorf(CodeInvalid, "case code %q is not a case code in compact form", c.Code)
	}
	cat := feedback.Category(c.Category)
	if !cat.Valid() {
		return Errorf(CodeInvalid, "unknown category %q", c.Category)
	}
	if cat.Sealed() {
		if c.Text != "" {
			return Errorf(CodeInvalid, "a %s case carries its text sealed, not in clear", c.Category)
		}
		if len(c.Sealed) <= feedback.SealOverhead || len(c.Sealed) > 4*feedback.MaxText+feedback.SealOverhead {
			return Errorf(CodeInvalid, "a %s case needs its sealed text", c.Category)
		}
	} else {
		if c.Sealed != nil {
			return Errorf(CodeInvalid, "a %s case is not sealed", c.Category)
		}
		if strings.TrimSpace(c.Text) == "" {
			return Errorf(CodeInvalid, "the case has no text")
		}
	}
	if n := utf8.RuneCountInString(c.Text); n > feedback.MaxText {
		return Errorf(CodeInvalid, "text has %d characters, at most %d", n, feedback.MaxText)
	}
	for _, f := range []struct{ name, v string }{{"source", c.Source}, {"lang", c.Lang}, {"service_point", c.ServicePoint}, {"device_id", c.DeviceID}} {
		if f.v == "" {
			return Errorf(CodeInvalid, "%s is empty", f.name)
		}
		if utf8.RuneCountInString(f.v) > MaxShortText {
			return Errorf(CodeInvalid, "%s is over %d characters", f.name, MaxShortText)
		}
	}
	if c.CreatedAt.IsZero() {
		return Errorf(CodeInvalid, "created_at is missing")
	}
	return nil
}

// FeedbackCanonical returns the signed content of a case: compact JSON with
// every field in the fixed order id, code, category, text, sealed (base64,
// null when none), source, lang, service_point, device_id, created_at
// (TimeFormat). c should be normalised first.
func FeedbackCanonical(c *FeedbackV1) []byte {
	b := make([]byte, 0, 256+len(c.Text)+2*len(c.Sealed))
	field := func(name string) { b = append(append(append(b, '"'), name...), `":`...) }
	b = append(b, '{')
	field("id")
	b = appendString(b, c.ID)
	for _, f := range []struct{ name, v string }{{"code", c.Code}, {"category", c.Category}, {"text", c.Text}} {
		b = append(b, ',')
		field(f.name)
		b = appendString(b, f.v)
	}
	b = append(b, ',')
	field("sealed")
	if c.Sealed == nil {
		b = append(b, "null"...)
	} else {
		b = appendString(b, base64.StdEncoding.EncodeToString(c.Sealed))
	}
	for _, f := range []struct{ name, v string }{{"source", c.Source}, {"lang", c.Lang}, {"service_point", c.ServicePoint}, {"device_id", c.DeviceID}} {
		b = append(b, ',')
		field(f.name)
		b = appendString(b, f.v)
	}
	b = append(b, ',')
	field("created_at")
	b = append(b, '"')
	b = c.CreatedAt.UTC().Truncate(time.Millisecond).AppendFormat(b, TimeFormat)
	return append(b, '"', '}')
}

// SignFeedback returns c, normalised, signed with the device's key.
func SignFeedback(priv ed25519.PrivateKey, c FeedbackV1) (FeedbackItem, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return FeedbackItem{}, Errorf(CodeInvalid, "private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	c.Normalize()
	msg := domainMessage(feedbackDomain, FeedbackCanonical(&c))
	return FeedbackItem{Case: c, Signature: voi.Sign(voi.PrivateKey(priv), msg)}, nil
}

// VerifyFeedback checks item's signature by pub over its case's content.
func VerifyFeedback(pub ed25519.PublicKey, item FeedbackItem) error {
	if err := checkSizes(pub, item.Signature); err != nil {
		return err
	}
	c := item.Case
	c.Normalize()
	if !voi.VerifyWithOptions(voi.PublicKey(pub), domainMessage(feedbackDomain, FeedbackCanonical(&c)), item.Signature, VerifyOptions()) {
		return errNoVerify()
	}
	return nil
}

// DecodeFeedbackBatch reads a feedback batch strictly (the rules of
// DecodeBatch: size, UTF-8, no unknown fields, no trailing data), with 1
// to MaxFeedbackItems items each with an id; every case comes back
// normalised.
func DecodeFeedbackBatch(r io.Reader) (*FeedbackBatch, error) {
	var b FeedbackBatch
	if err := Decode(r, MaxFeedbackBytes, &b); err != nil {
		return nil, err
	}
	if len(b.Items) == 0 || len(b.Items) > MaxFeedbackItems {
		return nil, Errorf(CodeInvalid, "a feedback batch has 1 to %d items, not %d", MaxFeedbackItems, len(b.Items))
	}
	for i := range b.Items {
		if b.Items[i].Case.ID == "" {
			return nil, Errorf(CodeInvalid, "item %d has no case id", i)
		}
		b.Items[i].Case.Normalize()
	}
	return &b, nil
}

// Encode returns b as JSON, refusing a batch the hub would refuse whole.
func (b *FeedbackBatch) Encode() ([]byte, error) {
	if len(b.Items) == 0 || len(b.Items) > MaxFeedbackItems {
		return nil, fmt.Errorf("feedback batch of %d items: want 1 to %d", len(b.Items), MaxFeedbackItems)
	}
	data, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFeedbackBytes {
		return nil, fmt.Errorf("feedback batch of %d bytes is over %d", len(data), MaxFeedbackBytes)
	}
	return data, nil
}
