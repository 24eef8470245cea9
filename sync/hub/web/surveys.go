package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// Publisher publishes a survey definition (hub.Hub.PublishSurvey): it
// returns survey.Problems for an invalid file and an error wrapping
// hub.ErrConflict for a published id and version with other content.
type Publisher interface {
	PublishSurvey(ctx context.Context, raw []byte) (*survey.Survey, error)
}

type surveyItem struct {
	ID      string
	Version int
	Title   string
}

type surveysView struct {
	Admin, CSRF string
	Role        hub.Role
	CanChange   bool
	Surveys     []surveyItem
	// File is the uploaded file's name; Problems what is wrong with it,
	// each with its location; Error a message about the upload as a whole.
	File     string
	Problems []string
	Error    string
	// Published names the survey just published, PublishedVersion its
	// version.
	Published, PublishedVersion string
}

func (d *Dashboard) surveysView(ctx context.Context, x *texts, sess *session) (surveysView, error) {
	v := surveysView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, CanChange: sess.role == hub.RoleAdmin}
	defs, err := d.cfg.Surveys(ctx)
	if err != nil {
		return v, err
	}
	for _, s := range defs {
		v.Surveys = append(v.Surveys, surveyItem{ID: s.ID, Version: s.Version, Title: s.Title.In(x.lang)})
	}
	return v, nil
}

// surveys lists every published version, newest first within a survey;
// an admin also gets the upload form.
func (d *Dashboard) surveys(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := d.surveysView(r.Context(), d.tr(r), sess)
	if err != nil {
		d.log.Error("surveys: load", "err", err)
		v.Error = d.tr(r).T("web.error.surveys")
		d.render(w, r, http.StatusInternalServerError, "surveys.html", v)
		return
	}
	if p := r.URL.Query().Get("published"); p != "" {
		v.Published, v.PublishedVersion = p, r.URL.Query().Get("version")
	}
	d.render(w, r, http.StatusOK, "surveys.html", v)
}

// maxWorkbook is the largest XLSForm workbook the upload reads; a JSON
// definition is still held to survey.MaxDefinitionSize by survey.Parse.
const maxWorkbook = 4 << 20

// publish checks an uploaded survey file and publishes it when it is
// valid; otherwise it lists every problem with its line and path, and
// nothing is published.
func (d *Dashboard) publish(w http.ResponseWriter, r *http.Request, sess *session) {
	fail := func(status int, file, msg string, problems []string) {
		v, err := d.surveysView(r.Context(), d.tr(r), sess)
		if err != nil {
			d.log.Error("surveys: load", "err", err)
		}
		v.File, v.Error, v.Problems = file, msg, problems
		d.render(w, r, status, "surveys.html", v)
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		fail(http.StatusBadRequest, "", d.tr(r).T("web.surveys.file_missing"), nil)
		return
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, max(survey.MaxDefinitionSize, maxWorkbook)+1))
	if err != nil {
		fail(http.StatusBadRequest, fh.Filename, d.tr(r).T("web.surveys.file_unreadable"), nil)
		return
	}
	// An XLSForm workbook (a zip file) becomes its survey definition first.
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		_, def, err := xlsform.Import(bytes.NewReader(raw))
		var xps xlsform.Problems
		switch {
		case errors.As(err, &xps):
			lines := make([]string, len(xps))
			for i, p := range xps {
				lines[i] = p.Text(langOf(r))
			}
			fail(http.StatusUnprocessableEntity, fh.Filename,
				d.tr(r).T("web.surveys.problems", "File", fh.Filename, "Count", len(xps)), lines)
			return
		case err != nil:
			d.log.Error("surveys: read XLSForm", "err", err)
			fail(http.StatusInternalServerError, fh.Filename, d.tr(r).T("web.error.publish_failed"), nil)
			return
		}
		raw = def
	}
	s, err := d.cfg.Publish.PublishSurvey(r.Context(), raw)
	var ps survey.Problems
	switch {
	case errors.As(err, &ps):
		fail(http.StatusUnprocessableEntity, fh.Filename,
			d.tr(r).T("web.surveys.problems", "File", fh.Filename, "Count", len(ps)), ps.Describe(langOf(r)))
		return
	case errors.Is(err, hub.ErrConflict):
		fail(http.StatusConflict, fh.Filename,
			d.tr(r).T("web.surveys.version_taken"), nil)
		return
	case err != nil:
		d.log.Error("surveys: publish", "err", err)
		fail(http.StatusInternalServerError, fh.Filename, d.tr(r).T("web.error.publish_failed"), nil)
		return
	}
	if !d.audit(r, sess.admin, hub.AuditSurveyPublish, url.Values{"id": {s.ID}, "version": {strconv.Itoa(s.Version)}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.surveys.audit_failed", "ID", s.ID)
		return
	}
	d.log.Info("survey published from the dashboard", "admin", sess.admin, "survey", s.ID, "version", s.Version)
	http.Redirect(w, r, "/surveys?"+url.Values{"published": {s.ID}, "version": {strconv.Itoa(s.Version)}}.Encode(), http.StatusSeeOther)
}

type previewOption struct{ Code, Vi, En string }

type previewScreen struct {
	N          int
	Code, Type string
	Vi, En     string
	Options    []previewOption
	Optional   bool
	ShowIf     string
	// Info screens: the heading, the picture (a data URI Validate
	// decoded), the QR code's link and caption.
	Info             bool
	TitleVi, TitleEn string
	Image            template.URL
	QRURL, QRCaption string
}

type previewView struct {
	Admin, CSRF    string
	Role           hub.Role
	ID             string
	Version        int
	Title, Purpose string
	Screens        []previewScreen
}

// preview shows each question of a published version as its own screen:
// the texts and choices in Vietnamese and English as the kiosk asks them,
// drawn in HTML (not the kiosk's own rendering: sizes and icons differ).
func (d *Dashboard) preview(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	id := q.Get("id")
	version, err := strconv.Atoi(q.Get("version"))
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, "bad_parameter", "web.surveys.bad_version")
		return
	}
	defs, err := d.cfg.Surveys(r.Context())
	if err != nil {
		d.log.Error("survey preview: load", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
		return
	}
	for _, s := range defs {
		if s.ID != id || s.Version != version {
			continue
		}
		v := previewView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, ID: s.ID, Version: s.Version,
			Title: s.Title.In(langOf(r)), Purpose: s.Purpose.In(langOf(r))}
		for i := range s.Questions {
			qu := &s.Questions[i]
			sc := previewScreen{N: i + 1, Code: qu.Code, Type: string(qu.Type), Vi: qu.Text["vi"], En: qu.Text["en"], Optional: qu.Optional}
			for _, o := range qu.OptionsOf() {
				sc.Options = append(sc.Options, previewOption{Code: o.Code, Vi: o.Label["vi"], En: o.Label["en"]})
			}
			if qu.Type == survey.Info {
				sc.Info, sc.TitleVi, sc.TitleEn = true, qu.Title["vi"], qu.Title["en"]
				sc.Image = template.URL(qu.Image) // a PNG or JPEG data URI, checked by survey.Validate
				if qu.QR != nil {
					sc.QRURL, sc.QRCaption = qu.QR.URL, qu.QR.Caption.In(langOf(r))
				}
			}
			if c := qu.ShowIf; c != nil {
				sc.ShowIf = d.tr(r).T("web.preview.show_if", "Question", c.Question, "Options", strings.Join(c.AnyOf, ", "))
			}
			v.Screens = append(v.Screens, sc)
		}
		d.render(w, r, http.StatusOK, "preview.html", v)
		return
	}
	d.fail(w, r, http.StatusNotFound, "not_found", "web.preview.not_found", "ID", id, "Version", version)
}
