// Package feedback is the citizen's feedback case (phản ánh, kiến nghị):
// its categories, its short public code and the sealing of misconduct
// reports to the hub's inspection key. Kiosk and hub share it; it imports
// neither Fyne, SQL nor net/http.
//
// A case carries no contact data: a category, a free text (digits masked
// on the kiosk as comments are) and where and when it was given. The
// citizen keeps its code, which opens the hub's public page of the case
// (PathPrefix + code): its state and the reply the hub published.
//
// A misconduct report (CategoryMisconduct: harassment, requests for
// unofficial payments) is sealed on the kiosk as soon as it is saved, to
// the hub's inspection public key (an X25519 key, NaCl's anonymous sealed
// box: an ephemeral key, so the kiosk cannot open what it sealed), and its
// text is never stored in clear on the kiosk. Only the hub, which holds
// the private key, opens it, and shows it only to inspectors.
package feedback

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/nacl/box"
)

// Category is the kind of a case, one of Categories.
type Category string

// The categories a citizen chooses from, in the order shown.
const (
	CategoryProcedure  Category = "thu_tuc"     // thủ tục, hồ sơ, giấy tờ
	CategoryWaiting    Category = "thoi_gian"   // thời gian chờ, trả kết quả
	CategoryAttitude   Category = "thai_do"     // thái độ, tác phong phục vụ
	CategoryFacilities Category = "co_so"       // cơ sở vật chất
	CategorySuggestion Category = "kien_nghi"   // kiến nghị, đề xuất
	CategoryMisconduct Category = "nhung_nhieu" // nhũng nhiễu, gây phiền hà, đòi tiền ngoài quy định
	CategoryOther      Category = "khac"        // khác
)

// Categories lists every category in display order.
var Categories = []Category{
	CategoryProcedure, CategoryWaiting, CategoryAttitude, CategoryFacilities,
	CategorySuggestion, CategoryMisconduct, CategoryOther,
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// Sealed reports whether cases of c are sealed to the inspection key and
// seen only by inspectors at the hub.
func (c Category) Sealed() bool { return c == CategoryMisconduct }

// Key is the translation key of c's label ("feedback.category.<c>").
func (c Category) Key() string { return "feedback.category." + string(c) }

// MaxText is the longest text a case holds, in characters: a comment's.
const MaxText = 4000

// PathPrefix is the path, under the hub's base URL, of a case's public page.
const PathPrefix = "/f/"

// PublicURL returns the address of the public page of the case with code c
// on the hub at base (no trailing slash needed).
func PublicURL(base string, c Code) string {
	return strings.TrimRight(base, "/") + PathPrefix + c.Compact()
}

// KeySize is the size of an inspection key, public or private (X25519).
const KeySize = 32

// SealOverhead is how many bytes sealing adds to a text.
const SealOverhead = box.AnonymousOverhead

// ErrOpen is returned by Open for a sealed text that does not open with
// the key (another key, or changed bytes).
var ErrOpen = errors.New("sealed feedback does not open with this key")

// NewInspectionKey makes an inspection key pair from r (crypto/rand when
// nil).
func NewInspectionKey(r io.Reader) (public, private *[KeySize]byte, err error) {
	if r == nil {
		r = rand.Reader
	}
	public, private, err = box.GenerateKey(r)
	if err != nil {
		return nil, nil, fmt.Errorf("inspection key: %w", err)
	}
	return public, private, nil
}

// Seal seals text to the inspection public key pub: only the holder of
// the private key opens it; the sealer cannot.
func Seal(pub []byte, text string) ([]byte, error) {
	if len(pub) != KeySize {
		return nil, fmt.Errorf("seal feedback: inspection key has %d bytes, want %d", len(pub), KeySize)
	}
	return box.SealAnonymous(nil, []byte(text), (*[KeySize]byte)(pub), rand.Reader)
}

// Open opens a text sealed to the key pair (pub, priv).
func Open(pub, priv, sealed []byte) (string, error) {
	if len(pub) != KeySize || len(priv) != KeySize {
		return "", fmt.Errorf("open feedback: key sizes %d and %d, want %d", len(pub), len(priv), KeySize)
	}
	b, ok := box.OpenAnonymous(nil, sealed, (*[KeySize]byte)(pub), (*[KeySize]byte)(priv))
	if !ok {
		return "", ErrOpen
	}
	return string(b), nil
}
