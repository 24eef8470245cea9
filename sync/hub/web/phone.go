package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// Phone is the hub's side of the phone page (hub.Hub is one): the slip
// and its survey, and storing an answer (docs/slips.md, "At home").
type Phone interface {
	WebSlip(ctx context.Context, c slip.Code) (*hub.Slip, *survey.Survey, error)
	SubmitWebAnswer(ctx context.Context, a hub.WebAnswer) (*hub.WebReceipt, error)
	WebStart(started time.Time) time.Time
	WebFormKey(ctx context.Context) ([]byte, error)
}

// PathPhone is the phone page's path prefix: a slip's QR opens
// PathPhone + its compact code (slip.ScanURL). No login.
const PathPhone = slip.PathPrefix

// The phone page refuses an address that tried phoneMaxFailures wrong
// codes or forms within phoneWindow (counted in the store, so across hub
// processes): a code has 45 random bits, and this keeps guessing slow.
const (
	phoneWindow      = 15 * time.Minute
	phoneMaxFailures = 20
	phoneMaxBody     = 64 << 10
)

// phoneTextKeys are the texts the page template reads (index .T "...").
var phoneTextKeys = []string{
	"phone.page_title", "phone.heading", "phone.intro", "phone.privacy", "phone.start", "phone.next", "phone.back",
	"phone.send", "phone.retry", "phone.optional", "phone.choose_many", "phone.comment_hint", "phone.thanks_title",
	"phone.thanks", "phone.thanks_again", "phone.receipt_label", "phone.receipt_note", "phone.receipt_link", "phone.lang_switch", "phone.restart",
}

// phoneView is what templates/answer.html shows: one screen.
type phoneView struct {
	Lang, OtherLang string
	T               map[string]string
	Path            string // the page's path, /s/CODE
	Point, Slip     string // lines under the heading
	Title, Purpose  string
	// Screen is "intro", "question", "thanks" or "error".
	Screen string
	Error  string // a message above the form, or the error screen's
	Retry  bool   // the error screen re-sends the hidden form
	Hidden []hiddenField
	Q      *phoneQuestion
	Step   string
	// Receipt and Again are the thank-you screen's.
	Receipt string
	Again   bool
}

type hiddenField struct{ Name, Value string }

// phoneQuestion is one screen of the survey.
type phoneQuestion struct {
	Code, Text, Title    string
	Info, Multi, Comment bool
	Optional             bool
	Image                template.URL
	Options              []phoneOption
	Value                string // a comment's text
	Max                  int
	// Last is set when no screen follows with the answers so far: its
	// button sends.
	Last bool
}

type phoneOption struct {
	ID, Code, Label string
	Checked         bool
}

// phoneForm is the state a page carries in its hidden fields: who (a
// response id made at the start), when it started, which survey version,
// and the answers so far. mac authenticates the first four with the hub's
// form key, so a page cannot claim another response's id.
type phoneForm struct {
	id      string
	started int64 // Unix milliseconds
	sid     string
	sv      int
	lang    string
	answers survey.Answers
}

func (f *phoneForm) mac(key []byte, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("phone\x00" + code + "\x00" + f.id + "\x00" + strconv.FormatInt(f.started, 10) + "\x00" + f.sid + "\x00" + strconv.Itoa(f.sv)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// hidden is f as hidden fields, leaving out the answer to skip (the
// question on screen, whose inputs carry it).
func (f *phoneForm) hidden(key []byte, code, skip string, s *survey.Survey) []hiddenField {
	out := []hiddenField{{"id", f.id}, {"t", strconv.FormatInt(f.started, 10)}, {"sid", f.sid}, {"sv", strconv.Itoa(f.sv)},
		{"lang", f.lang}, {"mac", f.mac(key, code)}}
	for i := range s.Questions {
		q := &s.Questions[i]
		if q.Code == skip {
			continue
		}
		for _, v := range f.answers[q.Code] {
			out = append(out, hiddenField{"a." + q.Code, v})
		}
	}
	return out
}

// phone serves GET and POST /s/CODE.
func (d *Dashboard) phone(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		d.methodNotAllowed(w, r, "GET, POST")
		return
	}
	ctx := r.Context()
	lang := langOf(r)
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, phoneMaxBody)
		if err := r.ParseForm(); err != nil {
			d.phoneError(w, r, lang, http.StatusBadRequest, "phone.invalid")
			return
		}
	}
	if l := r.FormValue("lang"); l == "en" || l == "vi" {
		lang = l
	}
	if r.Method == http.MethodPost && r.PostForm.Get("go") == "lang" {
		lang = map[string]string{"vi": "en", "en": "vi"}[lang]
	}
	if d.cfg.Phone == nil {
		d.phoneError(w, r, lang, http.StatusNotFound, "phone.closed")
		return
	}
	key := "phone " + clientAddr(r, d.cfg.TrustedProxies)
	if f, err := d.cfg.Accounts.LoginFailures(ctx, key, d.now(), phoneWindow); err != nil {
		d.log.Error("phone page: failures", "err", err)
		d.phoneError(w, r, lang, http.StatusInternalServerError, "phone.failed")
		return
	} else if f.Count >= phoneMaxFailures {
		w.Header().Set("Retry-After", strconv.Itoa(int(f.Since.Add(phoneWindow).Sub(d.now()).Seconds())+1))
		d.phoneError(w, r, lang, http.StatusTooManyRequests, "phone.limited")
		return
	}
	failed := func(status int, msg string) {
		if _, err := d.cfg.Accounts.LoginFailed(ctx, key, d.now(), phoneWindow); err != nil {
			d.log.Error("phone page: count failure", "err", err)
		}
		d.phoneError(w, r, lang, status, msg)
	}
	raw := strings.TrimPrefix(r.URL.Path, PathPhone)
	code, err := slip.ParseCode(raw)
	if err != nil || strings.Contains(raw, "/") {
		failed(http.StatusBadRequest, "phone.bad_code")
		return
	}
	sl, s, err := d.cfg.Phone.WebSlip(ctx, code)
	var form *phoneForm
	if r.Method == http.MethodPost {
		form = d.phoneFormOf(ctx, r, code, lang)
		// A slip used by this very form's response: the answer is being
		// sent again, and SubmitWebAnswer finds it stored.
		if form != nil && errors.Is(err, hub.ErrSlipUsed) && sl != nil && sl.UsedBy == form.id && s != nil {
			err = nil
		}
		if form == nil && err == nil {
			failed(http.StatusBadRequest, "phone.expired")
			return
		}
	}
	switch {
	case errors.Is(err, hub.ErrSlipNotPrinted):
		failed(http.StatusNotFound, "phone.unknown")
		return
	case errors.Is(err, hub.ErrSlipUsed):
		d.phoneError(w, r, lang, http.StatusGone, "phone.used")
		return
	case errors.Is(err, hub.ErrNoWebSurvey):
		d.phoneError(w, r, lang, http.StatusServiceUnavailable, "phone.no_survey")
		return
	case err != nil:
		d.log.Error("phone page: slip", "err", err)
		d.phoneError(w, r, lang, http.StatusInternalServerError, "phone.failed")
		return
	}
	fkey, err := d.cfg.Phone.WebFormKey(ctx)
	if err != nil {
		d.log.Error("phone page: form key", "err", err)
		d.phoneError(w, r, lang, http.StatusInternalServerError, "phone.failed")
		return
	}
	v := d.phoneViewOf(lang, code, sl)
	v.Title, v.Purpose = s.Title.In(lang), s.Purpose.In(lang)
	if form == nil { // GET: the intro, and a new response
		id, err := uuid.NewV7()
		if err != nil {
			d.log.Error("phone page: id", "err", err)
			d.phoneError(w, r, lang, http.StatusInternalServerError, "phone.failed")
			return
		}
		form = &phoneForm{id: id.String(), started: d.now().UnixMilli(), sid: s.ID, sv: s.Version, lang: lang, answers: survey.Answers{}}
		v.Screen, v.Hidden = "intro", form.hidden(fkey, code.Compact(), "", s)
		d.renderIn(w, v.Lang, http.StatusOK, "answer.html", v)
		return
	}
	if form.sid != s.ID || form.sv != s.Version { // a new version was published meanwhile
		d.phoneError(w, r, lang, http.StatusConflict, "phone.expired")
		return
	}
	d.phoneStep(w, r, v, fkey, code, s, form)
}

// phoneFormOf reads and authenticates a posted form: nil when its mac or
// fields are wrong.
func (d *Dashboard) phoneFormOf(ctx context.Context, r *http.Request, code slip.Code, lang string) *phoneForm {
	p := r.PostForm
	f := &phoneForm{id: p.Get("id"), sid: p.Get("sid"), lang: lang, answers: survey.Answers{}}
	var err1, err2 error
	f.started, err1 = strconv.ParseInt(p.Get("t"), 10, 64)
	f.sv, err2 = strconv.Atoi(p.Get("sv"))
	if err1 != nil || err2 != nil || f.id == "" {
		return nil
	}
	key, err := d.cfg.Phone.WebFormKey(ctx)
	if err != nil {
		d.log.Error("phone page: form key", "err", err)
		return nil
	}
	if !hmac.Equal([]byte(p.Get("mac")), []byte(f.mac(key, code.Compact()))) {
		return nil
	}
	for k, vs := range p {
		if q, ok := strings.CutPrefix(k, "a."); ok && q != "" {
			f.answers[q] = vs
		}
	}
	return f
}

// phoneStep applies the posted answer to the screen it came from and
// shows the next screen, or stores the answers after the last.
func (d *Dashboard) phoneStep(w http.ResponseWriter, r *http.Request, v *phoneView, key []byte, code slip.Code, s *survey.Survey, f *phoneForm) {
	p := r.PostForm
	action := p.Get("go")
	for code := range f.answers { // fields no question of s names: not the page's
		if q := s.Question(code); q == nil || !q.IsQuestion() {
			delete(f.answers, code)
		}
	}
	cur := -1
	if c := p.Get("cur"); c != "" {
		for i := range s.Questions {
			if s.Questions[i].Code == c {
				cur = i
			}
		}
	}
	tr := d.phoneTexts().In(v.Lang)
	if cur >= 0 {
		q := &s.Questions[cur]
		msg := applyAnswer(q, p["v"], f.answers)
		switch {
		case msg == "too_long" && action != "lang":
			d.phoneQuestion(w, v, key, code, s, f, cur, tr.T("phone.too_long", map[string]any{"Max": survey.MaxLongText}), http.StatusBadRequest)
			return
		case action == "next" && msg == "required":
			d.phoneQuestion(w, v, key, code, s, f, cur, tr.T("phone.required"), http.StatusBadRequest)
			return
		case action == "lang":
			d.phoneQuestion(w, v, key, code, s, f, cur, "", http.StatusOK)
			return
		case action == "back":
			if prev := visibleFrom(s, f.answers, cur-1, -1); prev >= 0 {
				d.phoneQuestion(w, v, key, code, s, f, prev, "", http.StatusOK)
				return
			}
			v.Screen, v.Hidden = "intro", f.hidden(key, code.Compact(), "", s)
			d.renderIn(w, v.Lang, http.StatusOK, "answer.html", v)
			return
		}
	} else if action == "lang" {
		v.Screen, v.Hidden = "intro", f.hidden(key, code.Compact(), "", s)
		d.renderIn(w, v.Lang, http.StatusOK, "answer.html", v)
		return
	}
	if action != "send" {
		if next := visibleFrom(s, f.answers, cur+1, 1); next >= 0 {
			d.phoneQuestion(w, v, key, code, s, f, next, "", http.StatusOK)
			return
		}
	}
	// Past the last screen: answers to questions skip logic now hides go.
	for i := range s.Questions {
		if q := &s.Questions[i]; !q.Visible(f.answers) || !q.IsQuestion() {
			delete(f.answers, q.Code)
		}
	}
	resp := &survey.Response{ID: f.id, SurveyID: s.ID, SurveyVersion: s.Version, Answers: f.answers,
		StartedAt: d.cfg.Phone.WebStart(time.UnixMilli(f.started)), FinishedAt: d.now().UTC(), Lang: v.Lang, Status: survey.StatusComplete}
	if resp.FinishedAt.Before(resp.StartedAt) {
		resp.FinishedAt = resp.StartedAt
	}
	got, err := d.cfg.Phone.SubmitWebAnswer(r.Context(), hub.WebAnswer{Code: code, Response: resp})
	switch {
	case errors.Is(err, hub.ErrSlipUsed):
		d.phoneError(w, r, v.Lang, http.StatusGone, "phone.used")
	case errors.Is(err, hub.ErrSlipNotPrinted):
		d.phoneError(w, r, v.Lang, http.StatusNotFound, "phone.unknown")
	case errors.Is(err, hub.ErrWebClosed):
		d.phoneError(w, r, v.Lang, http.StatusForbidden, "phone.closed")
	case errors.Is(err, hub.ErrWebAnswers):
		d.log.Info("phone page: answers refused", "err", err)
		d.phoneError(w, r, v.Lang, http.StatusBadRequest, "phone.invalid")
	case err != nil:
		d.log.Error("phone page: store answer", "err", err)
		v.Screen, v.Error, v.Retry = "error", tr.T("phone.failed"), true
		v.Hidden = f.hidden(key, code.Compact(), "", s)
		d.renderIn(w, v.Lang, http.StatusInternalServerError, "answer.html", v)
	default:
		v.Screen, v.Receipt, v.Again = "thanks", got.Receipt.String(), got.Again
		d.renderIn(w, v.Lang, http.StatusOK, "answer.html", v)
	}
}

// applyAnswer sets answers[q.Code] from the posted values of q's screen
// (values that are none of q's options are dropped; a comment is masked
// as the kiosk masks it) and says "required" when a question that must be
// answered (not optional, not a comment) has none, "too_long" for an
// over-long comment, else "".
func applyAnswer(q *survey.Question, vals []string, answers survey.Answers) string {
	if !q.IsQuestion() {
		return ""
	}
	var keep []string
	switch {
	case q.Type == survey.Comment:
		if len(vals) > 0 {
			if t := strings.TrimSpace(strings.ToValidUTF8(vals[0], "")); t != "" {
				keep = []string{survey.MaskDigits(t)}
			}
		}
	default:
		for _, v := range vals {
			if q.HasOption(v) && !slices.Contains(keep, v) {
				keep = append(keep, v)
			}
		}
		if q.Type != survey.Multi && len(keep) > 1 {
			keep = keep[:1]
		}
	}
	if len(keep) == 0 {
		delete(answers, q.Code)
		if !q.Optional && q.Type != survey.Comment { // a comment is never required (survey.CheckAnswers)
			return "required"
		}
		return ""
	}
	answers[q.Code] = keep
	if q.Type == survey.Comment && utf8.RuneCountInString(keep[0]) > survey.MaxLongText {
		return "too_long"
	}
	return ""
}

// visibleFrom is the first screen from i on, stepping by step, that the
// answers show, or -1.
func visibleFrom(s *survey.Survey, a survey.Answers, i, step int) int {
	for ; i >= 0 && i < len(s.Questions); i += step {
		if s.Questions[i].Visible(a) {
			return i
		}
	}
	return -1
}

// phoneQuestion shows screen i with its answer so far and msg above it.
func (d *Dashboard) phoneQuestion(w http.ResponseWriter, v *phoneView, key []byte, code slip.Code, s *survey.Survey, f *phoneForm, i int, msg string, status int) {
	q := &s.Questions[i]
	lang := v.Lang
	pq := &phoneQuestion{Code: q.Code, Text: q.Text.In(lang), Title: q.Title.In(lang), Info: !q.IsQuestion(),
		Multi: q.Type == survey.Multi, Comment: q.Type == survey.Comment, Optional: q.Optional, Max: survey.MaxLongText}
	if pq.Info {
		pq.Image = template.URL(q.Image) // a PNG or JPEG data URI, checked by survey.Validate
	}
	pq.Last = visibleFrom(s, f.answers, i+1, 1) < 0
	chosen := f.answers[q.Code]
	if pq.Comment && len(chosen) > 0 {
		pq.Value = chosen[0]
	}
	for k, o := range q.OptionsOf() {
		pq.Options = append(pq.Options, phoneOption{ID: "o" + strconv.Itoa(k), Code: o.Code, Label: o.Label.In(lang), Checked: slices.Contains(chosen, o.Code)})
	}
	n, total := 0, 0
	for j := range s.Questions {
		if s.Questions[j].Visible(f.answers) || j == i {
			total++
			if j <= i {
				n++
			}
		}
	}
	tr := d.phoneTexts().In(lang)
	v.Screen, v.Q, v.Error = "question", pq, msg
	v.Step = tr.T("phone.step", map[string]any{"N": n, "Total": total})
	v.Hidden = f.hidden(key, code.Compact(), q.Code, s)
	d.renderIn(w, v.Lang, status, "answer.html", v)
}

// phoneTexts is the phone area's catalog (embedded: loading cannot fail
// once the package's tests pass; a nil catalog would show the keys).
func (d *Dashboard) phoneTexts() *i18n.Catalog {
	c, err := i18n.Shared("phone")
	if err != nil {
		d.log.Error("phone page: texts", "err", err)
	}
	return c
}

// phoneViewOf starts a view of the page for the slip sl (nil when unknown).
func (d *Dashboard) phoneViewOf(lang string, code slip.Code, sl *hub.Slip) *phoneView {
	tr := d.phoneTexts().In(lang)
	v := &phoneView{Lang: lang, OtherLang: map[string]string{"vi": "en", "en": "vi"}[lang], T: map[string]string{}}
	for _, k := range phoneTextKeys {
		v.T[k] = tr.T(k)
	}
	if !code.IsZero() {
		v.Path = PathPhone + code.Compact()
		v.Slip = tr.T("phone.slip", map[string]any{"Code": code.String()})
	}
	if sl != nil {
		v.Point = tr.T("phone.point", map[string]any{"Point": sl.ServicePoint})
	}
	return v
}

// phoneError shows the error screen with the text of key.
func (d *Dashboard) phoneError(w http.ResponseWriter, r *http.Request, lang string, status int, key string) {
	v := d.phoneViewOf(lang, slip.Code{}, nil)
	v.Screen, v.Error = "error", d.phoneTexts().In(lang).T(key)
	if c, err := slip.ParseCode(strings.TrimPrefix(r.URL.Path, PathPhone)); err == nil {
		v.Slip = d.phoneTexts().In(lang).T("phone.slip", map[string]any{"Code": c.String()})
		v.Path = PathPhone + c.Compact()
	}
	d.renderIn(w, v.Lang, status, "answer.html", v)
}
