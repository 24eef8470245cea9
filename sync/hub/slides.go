package hub

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/hailong-kiosk/hailong/app/survey"
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

// handleSlides answers GET PathSlides: the newest slide set, with an ETag
// of its version, or version 0 and no definition when none was published.
func (h *Hub) handleSlides(w http.ResponseWriter, r *http.Request) {
	if _, err := h.Authenticate(r.Context(), bearer(r)); err != nil {
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
	etag := `"slides-` + strconv.Itoa(set.Version) + `"` // a version is never changed
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
