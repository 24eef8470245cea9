package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
	Admin, CSRF, Role string
	CanChange         bool
	Surveys           []surveyItem
	// File is the uploaded file's name; Problems what is wrong with it,
	// each with its location; Error a message about the upload as a whole.
	File     string
	Problems []string
	Error    string
	// Published names the version just published.
	Published string
}

func (d *Dashboard) surveysView(ctx context.Context, sess *session) (surveysView, error) {
	v := surveysView{Admin: sess.admin, CSRF: sess.csrf, Role: roleLabel(sess.role), CanChange: sess.role == hub.RoleAdmin}
	defs, err := d.cfg.Surveys(ctx)
	if err != nil {
		return v, err
	}
	for _, s := range defs {
		v.Surveys = append(v.Surveys, surveyItem{ID: s.ID, Version: s.Version, Title: s.Title.In("vi")})
	}
	return v, nil
}

// surveys lists every published version, newest first within a survey;
// an admin also gets the upload form.
func (d *Dashboard) surveys(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := d.surveysView(r.Context(), sess)
	if err != nil {
		d.log.Error("surveys: load", "err", err)
		v.Error = "Lỗi máy chủ: không đọc được danh sách khảo sát."
		d.render(w, http.StatusInternalServerError, "surveys.html", v)
		return
	}
	if p := r.URL.Query().Get("published"); p != "" {
		v.Published = p
	}
	d.render(w, http.StatusOK, "surveys.html", v)
}

// maxWorkbook is the largest XLSForm workbook the upload reads; a JSON
// definition is still held to survey.MaxDefinitionSize by survey.Parse.
const maxWorkbook = 4 << 20

// publish checks an uploaded survey file and publishes it when it is
// valid; otherwise it lists every problem with its line and path, and
// nothing is published.
func (d *Dashboard) publish(w http.ResponseWriter, r *http.Request, sess *session) {
	fail := func(status int, file, msg string, problems []string) {
		v, err := d.surveysView(r.Context(), sess)
		if err != nil {
			d.log.Error("surveys: load", "err", err)
		}
		v.File, v.Error, v.Problems = file, msg, problems
		d.render(w, status, "surveys.html", v)
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		fail(http.StatusBadRequest, "", "Hãy chọn một tệp khảo sát (.json hoặc biểu mẫu XLSForm .xlsx) để tải lên.", nil)
		return
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, max(survey.MaxDefinitionSize, maxWorkbook)+1))
	if err != nil {
		fail(http.StatusBadRequest, fh.Filename, "Không đọc được tệp đã tải lên. Vui lòng thử lại.", nil)
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
				lines[i] = p.Text("vi")
			}
			fail(http.StatusUnprocessableEntity, fh.Filename,
				fmt.Sprintf("Tệp %s có %d lỗi nên chưa được công bố. Sửa các lỗi dưới đây rồi tải lên lại.", fh.Filename, len(xps)), lines)
			return
		case err != nil:
			d.log.Error("surveys: read XLSForm", "err", err)
			fail(http.StatusInternalServerError, fh.Filename, "Lỗi máy chủ: chưa công bố được. Vui lòng thử lại sau.", nil)
			return
		}
		raw = def
	}
	s, err := d.cfg.Publish.PublishSurvey(r.Context(), raw)
	var ps survey.Problems
	switch {
	case errors.As(err, &ps):
		fail(http.StatusUnprocessableEntity, fh.Filename,
			fmt.Sprintf("Tệp %s có %d lỗi nên chưa được công bố. Sửa các lỗi dưới đây rồi tải lên lại.", fh.Filename, len(ps)), ps.Describe("vi"))
		return
	case errors.Is(err, hub.ErrConflict):
		fail(http.StatusConflict, fh.Filename,
			"Phiên bản này của khảo sát đã được công bố với nội dung khác. Khảo sát đã sửa cần số phiên bản (version) mới.", nil)
		return
	case err != nil:
		d.log.Error("surveys: publish", "err", err)
		fail(http.StatusInternalServerError, fh.Filename, "Lỗi máy chủ: chưa công bố được. Vui lòng thử lại sau.", nil)
		return
	}
	if !d.audit(r, sess.admin, hub.AuditSurveyPublish, url.Values{"id": {s.ID}, "version": {strconv.Itoa(s.Version)}}) {
		jsonError(w, http.StatusInternalServerError, "internal", "Đã công bố khảo sát "+s.ID+" nhưng không ghi được nhật ký quản trị. Hãy báo quản trị máy chủ.")
		return
	}
	d.log.Info("survey published from the dashboard", "admin", sess.admin, "survey", s.ID, "version", s.Version)
	http.Redirect(w, r, "/surveys?published="+url.QueryEscape(fmt.Sprintf("%s phiên bản %d", s.ID, s.Version)), http.StatusSeeOther)
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
	Admin, CSRF, Role string
	ID                string
	Version           int
	Title, Purpose    string
	Screens           []previewScreen
}

// preview shows each question of a published version as its own screen:
// the texts and choices in Vietnamese and English as the kiosk asks them,
// drawn in HTML (not the kiosk's own rendering: sizes and icons differ).
func (d *Dashboard) preview(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	id := q.Get("id")
	version, err := strconv.Atoi(q.Get("version"))
	if err != nil {
		jsonError(w, http.StatusBadRequest, "bad_parameter", "Tham số version phải là một số.")
		return
	}
	defs, err := d.cfg.Surveys(r.Context())
	if err != nil {
		d.log.Error("survey preview: load", "err", err)
		jsonError(w, http.StatusInternalServerError, "internal", "Lỗi máy chủ. Vui lòng thử lại sau.")
		return
	}
	for _, s := range defs {
		if s.ID != id || s.Version != version {
			continue
		}
		v := previewView{Admin: sess.admin, CSRF: sess.csrf, Role: roleLabel(sess.role), ID: s.ID, Version: s.Version,
			Title: s.Title.In("vi"), Purpose: s.Purpose.In("vi")}
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
					sc.QRURL, sc.QRCaption = qu.QR.URL, qu.QR.Caption.In("vi")
				}
			}
			if c := qu.ShowIf; c != nil {
				sc.ShowIf = fmt.Sprintf("%s là một trong: %s", c.Question, strings.Join(c.AnyOf, ", "))
			}
			v.Screens = append(v.Screens, sc)
		}
		d.render(w, http.StatusOK, "preview.html", v)
		return
	}
	jsonError(w, http.StatusNotFound, "not_found", fmt.Sprintf("Không có khảo sát %s phiên bản %d.", id, version))
}
