package client

import (
	"context"
	"errors"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// pullSurveys fetches the hub's published surveys when they changed since
// the last pull (ETag), checks each with survey.Parse and stores it. The
// kiosk's survey provider reads the store, so a new version is used from the
// next welcome screen. A definition that does not parse is logged and
// skipped: the hub validates with the same code, so it is a version skew,
// and the kiosk keeps the versions it has. changed reports that the hub's
// list changed since the last pull (so it may now know surveys it did not).
func (u *Uploader) pullSurveys(ctx context.Context, h *remote) (changed bool, err error) {
	etag, _, err := u.out.Setting(ctx, KeySurveysETag)
	if err != nil {
		return false, &Error{Kind: KindLocal, Op: "pull surveys", Err: err}
	}
	list, newETag, err := h.surveys(ctx, etag)
	if err != nil || list == nil {
		return false, err
	}
	saved := 0
	for _, ps := range list.Surveys {
		s, err := survey.Parse(ps.Definition)
		if err != nil {
			u.log.Error("sync: published survey does not parse; skipped", "id", ps.ID, "version", ps.Version, "err", err)
			continue
		}
		if s.ID != ps.ID || s.Version != ps.Version {
			u.log.Error("sync: published survey does not match its listing; skipped",
				"listed", ps.ID, "listed_version", ps.Version, "id", s.ID, "version", s.Version)
			continue
		}
		err = u.out.SaveSurvey(ctx, ps.Definition)
		if errors.Is(err, ErrSurveyConflict) {
			u.log.Error("sync: hub serves a different definition of a stored survey version; kept ours",
				"id", ps.ID, "version", ps.Version)
			continue
		}
		if err != nil {
			return false, &Error{Kind: KindLocal, Op: "save survey " + ps.ID, Err: err}
		}
		saved++
	}
	if err := u.out.SetSettings(ctx, map[string]string{KeySurveysETag: newETag}); err != nil {
		return false, &Error{Kind: KindLocal, Op: "pull surveys", Err: err}
	}
	if saved > 0 {
		u.log.Info("sync: surveys pulled", "count", saved)
	}
	return true, nil
}
