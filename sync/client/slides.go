package client

import (
	"context"
	"net/http"
	"strconv"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Settings keys of the pulled slide set.
const (
	// KeySlides is the slide set the hub published last, its JSON as
	// published; "" or absent when it published none (the kiosk shows its
	// built-in slides).
	KeySlides = "sync.slides"
	// KeySlidesVersion is that set's version at the hub, decimal.
	KeySlidesVersion = "sync.slides_version"
	// KeySlidesETag is the ETag of the last slide set pulled.
	KeySlidesETag = "sync.slides_etag"
)

// pullSlides fetches the hub's slide set when it changed since the last
// pull (ETag), checks it with survey.ParseSlides and stores it. A set that
// does not parse is logged and the stored one kept (a version skew, as for
// surveys). A hub too old to serve slides (404) changes nothing.
func (u *Uploader) pullSlides(ctx context.Context, h *remote) error {
	const op = "pull slides"
	etag, _, err := u.out.Setting(ctx, KeySlidesETag)
	if err != nil {
		return &Error{Kind: KindLocal, Op: op, Err: err}
	}
	hdr := http.Header{}
	if etag != "" {
		hdr.Set("If-None-Match", etag)
	}
	resp, data, err := h.call(ctx, op, http.MethodGet, protocol.PathSlides, nil, hdr)
	switch {
	case err != nil:
		return err
	case resp.StatusCode == http.StatusNotModified:
		return nil
	case resp.StatusCode == http.StatusNotFound:
		u.log.Debug("sync: the hub serves no slides")
		return nil
	case resp.StatusCode/100 != 2:
		return statusError(op, resp, data)
	}
	var set protocol.SlideSet
	if err := decodeAnswer(op, resp, data, &set); err != nil {
		return err
	}
	def := ""
	// Version 0 with a definition: none published, the built-in set with
	// the hub's answered feedback cases added.
	if set.Version > 0 || len(set.Definition) > 0 {
		if _, err := survey.ParseSlides(set.Definition); err != nil {
			u.log.Error("sync: published slides do not parse; kept the stored ones", "version", set.Version, "err", err)
			return nil
		}
		def = string(set.Definition)
	}
	if err := u.out.SetSettings(ctx, map[string]string{
		KeySlides: def, KeySlidesVersion: strconv.Itoa(set.Version), KeySlidesETag: resp.Header.Get("ETag"),
	}); err != nil {
		return &Error{Kind: KindLocal, Op: op, Err: err}
	}
	u.log.Info("sync: slides pulled", "version", set.Version)
	return nil
}

// LoadSlides returns the slide set last pulled from the hub, or nil when
// the hub published none (or the kiosk never synced): the kiosk then shows
// survey.BuiltinSlides.
func LoadSlides(ctx context.Context, kv settings.KV) (*survey.Slides, error) {
	def, ok, err := kv.Setting(ctx, KeySlides)
	if err != nil || !ok || def == "" {
		return nil, err
	}
	return survey.ParseSlides([]byte(def))
}
