package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// PublishSlides checks a slide set with survey.ParseSlides and publishes it
// as the next version, which kiosks pull at their next sync. The error of a
// bad set wraps survey.Problems.
func (h *Hub) PublishSlides(ctx context.Context, raw []byte, by string) (*PublishedSlides, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if _, err := survey.ParseSlides(raw); err != nil {
		return nil, err
	}
	ps := PublishedSlides{Definition: raw, PublishedAt: h.now().UTC(), PublishedBy: by}
	v, err := h.store.PublishSlides(ctx, ps)
	if err != nil {
		return nil, err
	}
	ps.Version = v
	h.log.Info("slides published", "version", v, "by", by)
	return &ps, nil
}

// handleSlides answers GET PathSlides: the newest slide set, or version 0
// and no definition when none was published, with the device's service
// point's newest publicly answered feedback cases added (answeredSlides;
// to the built-in set when none was published). The ETag is the version
// and a digest of what was added.
func (h *Hub) handleSlides(w http.ResponseWriter, r *http.Request) {
	dev, err := h.Authenticate(r.Context(), bearer(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	set := protocol.SlideSet{}
	ps, err := h.store.LatestSlides(r.Context())
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		h.writeError(w, r, err)
		return
	default:
		set.Version, set.Definition = ps.Version, ps.Definition
	}
	etag := `"slides-` + strconv.Itoa(set.Version) // a version is never changed
	answered, err := h.answeredSlides(r.Context(), dev.ServicePoint, requestBase(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if len(answered) > 0 {
		base := set.Definition
		if base == nil { // none published: the kiosk's own built-in set, with the cases
			if base, err = builtinSlides(); err != nil {
				h.writeError(w, r, err)
				return
			}
		}
		def, tag, err := withSlides(base, answered)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		set.Definition, etag = def, etag+"-"+tag
	}
	etag += `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, set)
}

// LatestSlides returns the newest published slide set (Store.LatestSlides),
// or an error wrapping ErrNotFound.
func (h *Hub) LatestSlides(ctx context.Context) (*PublishedSlides, error) {
	return h.store.LatestSlides(ctx)
}

// AnsweredSlides is how many answered feedback cases the kiosks' idle
// screen shows at most, and AnsweredDays how recent their answer is.
const (
	AnsweredSlides = 2
	AnsweredDays   = 30
)

// answeredSlides returns a slide for each of the newest cases of point
// answered in the last AnsweredDays days whose reply an admin made public
// (never a misconduct report: those are not public), newest first: the
// case's code, its reply and a QR code of its public page under base.
func (h *Hub) answeredSlides(ctx context.Context, point, base string) ([]survey.Slide, error) {
	open := false
	cases, err := h.store.FeedbackCases(ctx, FeedbackFilter{Sealed: &open, ServicePoint: point, State: FeedbackAnswered})
	if err != nil {
		return nil, err
	}
	since := h.now().AddDate(0, 0, -AnsweredDays)
	cases = slices.DeleteFunc(cases, func(c FeedbackCase) bool {
		return !c.Public || c.Reply == "" || c.AnsweredAt.Before(since) || c.IsSealed()
	})
	slices.SortFunc(cases, func(a, b FeedbackCase) int { return b.AnsweredAt.Compare(a.AnsweredAt) })
	var out []survey.Slide
	for _, c := range cases[:min(len(cases), AnsweredSlides)] {
		code, err := feedback.ParseCode(c.Code)
		if err != nil {
			return nil, fmt.Errorf("answered case %s: %w", c.ID, err)
		}
		reply := c.Reply
		if r := []rune(reply); len(r) > survey.MaxSlideTextLen-40 {
			reply = strings.TrimSpace(string(r[:survey.MaxSlideTextLen-41])) + "…"
		}
		out = append(out, survey.Slide{
			Title: survey.Text{"vi": "Phản ánh " + code.String() + " đã được trả lời", "en": "Feedback " + code.String() + " has been answered"},
			Text:  survey.Text{"vi": reply},
			QR: &survey.QRCode{URL: base + feedback.PathPrefix + code.Compact(),
				Caption: survey.Text{"vi": "Xem câu trả lời đầy đủ", "en": "Read the whole answer"}},
		})
	}
	return out, nil
}

// withSlides returns the slide set def with extra appended, as far as
// survey.MaxSlides allows, and a tag of what was added for the ETag. The
// result is checked as a published set is.
func withSlides(def []byte, extra []survey.Slide) ([]byte, string, error) {
	s, err := survey.ParseSlides(def)
	if err != nil {
		return nil, "", fmt.Errorf("published slides: %w", err)
	}
	s.Slides = append(s.Slides, extra[:min(len(extra), max(0, survey.MaxSlides-len(s.Slides)))]...)
	out, err := json.Marshal(s)
	if err != nil {
		return nil, "", err
	}
	if _, err := survey.ParseSlides(out); err != nil {
		return nil, "", fmt.Errorf("slides with answered cases: %w", err)
	}
	sum := sha256.Sum256(out)
	return out, hex.EncodeToString(sum[:8]), nil
}

// builtinSlides is survey.BuiltinSlides as JSON.
func builtinSlides() ([]byte, error) {
	s, err := survey.BuiltinSlides()
	if err != nil {
		return nil, err
	}
	return json.Marshal(s)
}

// requestBase is the scheme and host the request came to: the address the
// kiosk reaches the hub at, as its own feedback QR codes use.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
