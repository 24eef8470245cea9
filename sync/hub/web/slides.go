package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// SlideSets publishes and reads the kiosks' welcome slides and feedback
// channels (hub.Hub): PublishSlides returns survey.Problems for a set
// that is not valid; LatestSlides an error wrapping hub.ErrNotFound
// before the first publication.
type SlideSets interface {
	PublishSlides(ctx context.Context, raw []byte, by string) (*hub.PublishedSlides, error)
	LatestSlides(ctx context.Context) (*hub.PublishedSlides, error)
}

// PathSlides is the page where admins edit and publish the slide set.
const PathSlides = "/slides"

// slideForm is one slide's fields on the page.
type slideForm struct {
	N                int
	TitleVi, TitleEn string
	TextVi, TextEn   string
	QRURL            string
	QRVi, QREn       string
	Image            string       // a data URI kept from the set, "" for none
	ImageSrc         template.URL // the same, for the preview
}

// channelForm is one feedback channel's fields on the page.
type channelForm struct {
	N                  int
	NameVi, NameEn     string
	DetailVi, DetailEn string
	Phone, URL         string
}

type slidesView struct {
	Admin, CSRF string
	Role        hub.Role
	CanChange   bool
	// Version is the set on the kiosks, 0 for the built-in one.
	Version   int
	Published string // when and by whom, or ""
	Slides    []slideForm
	Channels  []channelForm
	Error     string
	Problems  []string
	Saved     int // the version just published
}

// formOfSlides fills the page's blocks from s, with empty blocks up to the
// limits.
func formOfSlides(s *survey.Slides) ([]slideForm, []channelForm) {
	slides := make([]slideForm, survey.MaxSlides)
	for i := range slides {
		slides[i].N = i + 1
		if i < len(s.Slides) {
			sl := s.Slides[i]
			f := &slides[i]
			f.TitleVi, f.TitleEn, f.TextVi, f.TextEn = sl.Title["vi"], sl.Title["en"], sl.Text["vi"], sl.Text["en"]
			f.Image, f.ImageSrc = sl.Image, template.URL(sl.Image) // a data URI ParseSlides decoded
			if sl.QR != nil {
				f.QRURL, f.QRVi, f.QREn = sl.QR.URL, sl.QR.Caption["vi"], sl.QR.Caption["en"]
			}
		}
	}
	chs := make([]channelForm, survey.MaxChannels)
	for i := range chs {
		chs[i].N = i + 1
		if i < len(s.Channels) {
			c := s.Channels[i]
			chs[i] = channelForm{N: i + 1, NameVi: c.Name["vi"], NameEn: c.Name["en"], DetailVi: c.Detail["vi"], DetailEn: c.Detail["en"], Phone: c.Phone, URL: c.URL}
		}
	}
	return slides, chs
}

// text is a survey.Text of the non-empty languages.
func text(vi, en string) survey.Text {
	t := survey.Text{}
	if vi = strings.TrimSpace(vi); vi != "" {
		t["vi"] = vi
	}
	if en = strings.TrimSpace(en); en != "" {
		t["en"] = en
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

// slidesOfForm reads the posted blocks: a block left empty is dropped;
// slideAt and channelAt give each kept one's block number, to name it in
// problems.
func slidesOfForm(form url.Values) (s survey.Slides, slideAt, channelAt []int, blocks []slideForm, chBlocks []channelForm) {
	v := func(format string, i int) string {
		return strings.ReplaceAll(form.Get(fmt.Sprintf(format, i)), "\r\n", "\n")
	}
	for i := 1; i <= survey.MaxSlides; i++ {
		f := slideForm{N: i, TitleVi: v("s%d_title_vi", i), TitleEn: v("s%d_title_en", i), TextVi: v("s%d_text_vi", i), TextEn: v("s%d_text_en", i),
			QRURL: strings.TrimSpace(v("s%d_qr_url", i)), QRVi: v("s%d_qr_vi", i), QREn: v("s%d_qr_en", i), Image: strings.TrimSpace(v("s%d_image", i))}
		if form.Get(fmt.Sprintf("s%d_drop_image", i)) != "" {
			f.Image = ""
		}
		f.ImageSrc = template.URL(f.Image)
		blocks = append(blocks, f)
		if strings.TrimSpace(f.TitleVi+f.TitleEn+f.TextVi+f.TextEn+f.QRURL+f.QRVi+f.QREn+f.Image) == "" {
			continue
		}
		sl := survey.Slide{Title: text(f.TitleVi, f.TitleEn), Text: text(f.TextVi, f.TextEn), Image: f.Image}
		if f.QRURL != "" || strings.TrimSpace(f.QRVi+f.QREn) != "" {
			sl.QR = &survey.QRCode{URL: f.QRURL, Caption: text(f.QRVi, f.QREn)}
		}
		s.Slides = append(s.Slides, sl)
		slideAt = append(slideAt, i)
	}
	for i := 1; i <= survey.MaxChannels; i++ {
		c := channelForm{N: i, NameVi: v("c%d_name_vi", i), NameEn: v("c%d_name_en", i), DetailVi: v("c%d_detail_vi", i), DetailEn: v("c%d_detail_en", i),
			Phone: strings.TrimSpace(v("c%d_phone", i)), URL: strings.TrimSpace(v("c%d_url", i))}
		chBlocks = append(chBlocks, c)
		if strings.TrimSpace(c.NameVi+c.NameEn+c.DetailVi+c.DetailEn+c.Phone+c.URL) == "" {
			continue
		}
		s.Channels = append(s.Channels, survey.Channel{Name: text(c.NameVi, c.NameEn), Detail: text(c.DetailVi, c.DetailEn), Phone: c.Phone, URL: c.URL})
		channelAt = append(channelAt, i)
	}
	return
}

var slidePathRe = regexp.MustCompile(`^(slides|channels)\[(\d+)\]\.?`)

// fieldNames name a problem's field in the page's words (keys of the web
// area).
var fieldNames = map[string]string{
	"title.vi": "web.slides.field.title_vi", "title.en": "web.slides.field.title_en",
	"text.vi": "web.slides.field.text_vi", "text.en": "web.slides.field.text_en",
	"qr.url": "web.slides.field.qr_url", "qr.caption.vi": "web.slides.field.qr_caption_vi",
	"qr.caption.en": "web.slides.field.qr_caption_en", "image": "web.slides.field.image",
	"name.vi": "web.slides.field.name_vi", "name.en": "web.slides.field.name_en",
	"detail.vi": "web.slides.field.detail_vi", "detail.en": "web.slides.field.detail_en",
	"phone": "web.slides.field.phone", "url": "web.slides.field.url",
}

// describe names each problem by its block on the page (web.slides.at_slide,
// at_channel and the field's name) in x's language.
func describe(x *texts, ps survey.Problems, slideAt, channelAt []int) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		where := ""
		if m := slidePathRe.FindStringSubmatch(p.Path); m != nil {
			k, _ := strconv.Atoi(m[2])
			field := strings.TrimPrefix(p.Path, m[0])
			if name, ok := fieldNames[field]; ok {
				field = x.T(name)
			}
			switch {
			case m[1] == "slides" && k < len(slideAt) && field != "":
				where = x.T("web.slides.at_slide_field", "N", slideAt[k], "Field", field)
			case m[1] == "slides" && k < len(slideAt):
				where = x.T("web.slides.at_slide", "N", slideAt[k])
			case m[1] == "channels" && k < len(channelAt) && field != "":
				where = x.T("web.slides.at_channel_field", "N", channelAt[k], "Field", field)
			case m[1] == "channels" && k < len(channelAt):
				where = x.T("web.slides.at_channel", "N", channelAt[k])
			}
		}
		switch {
		case where != "":
			out[i] = x.T("web.slides.problem_at", "Where", where, "Problem", p.Text(x.lang))
		case p.Path == "slides" || p.Path == "channels" || p.Path == "":
			out[i] = p.Text(x.lang)
		default:
			out[i] = p.Describe(x.lang)
		}
	}
	return out
}

// slidesPage shows the slide set on the kiosks (or the built-in one) in
// a form; an admin publishes the form as the next version.
func (d *Dashboard) slidesPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v := slidesView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, CanChange: sess.role == hub.RoleAdmin}
	if r.Method == http.MethodPost {
		d.publishSlides(w, r, sess, &v)
		return
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("published")); err == nil {
		v.Saved = n
	}
	set, status := d.currentSlides(r.Context(), d.tr(r), &v)
	v.Slides, v.Channels = formOfSlides(set)
	d.render(w, r, status, "slides.html", v)
}

// currentSlides is the set on the kiosks, noting its version in v.
func (d *Dashboard) currentSlides(ctx context.Context, x *texts, v *slidesView) (*survey.Slides, int) {
	ps, err := d.cfg.SlideSets.LatestSlides(ctx)
	if err == nil {
		v.Version = ps.Version
		v.Published = ps.PublishedAt.In(survey.Location()).Format("15:04 02/01/2006") + " — " + ps.PublishedBy
		if s, err := survey.ParseSlides(ps.Definition); err == nil {
			return s, http.StatusOK
		}
		d.log.Error("slides: the published set does not parse", "version", ps.Version)
	} else if !errors.Is(err, hub.ErrNotFound) {
		d.log.Error("slides: load", "err", err)
		v.Error = x.T("web.slides.read_failed")
	}
	s, err := survey.BuiltinSlides()
	if err != nil {
		d.log.Error("slides: built-in", "err", err)
		return &survey.Slides{}, http.StatusInternalServerError
	}
	if v.Error != "" {
		return s, http.StatusInternalServerError
	}
	return s, http.StatusOK
}

func (d *Dashboard) publishSlides(w http.ResponseWriter, r *http.Request, sess *session, v *slidesView) {
	if !v.CanChange {
		d.fail(w, r, http.StatusForbidden, "forbidden", "web.slides.admin_only")
		return
	}
	set, slideAt, channelAt, blocks, chBlocks := slidesOfForm(r.PostForm)
	v.Slides, v.Channels = blocks, chBlocks
	raw, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		d.log.Error("slides: encode", "err", err)
		v.Error = d.tr(r).T("web.error.publish_failed")
		d.render(w, r, http.StatusInternalServerError, "slides.html", *v)
		return
	}
	ps, err := d.cfg.SlideSets.PublishSlides(r.Context(), raw, sess.admin)
	var probs survey.Problems
	switch {
	case errors.As(err, &probs):
		d.currentSlides(r.Context(), d.tr(r), v) // its version; the form keeps what was typed
		v.Error = d.tr(r).T("web.slides.problems", "Count", len(probs))
		v.Problems = describe(d.tr(r), probs, slideAt, channelAt)
		d.render(w, r, http.StatusUnprocessableEntity, "slides.html", *v)
		return
	case err != nil:
		d.log.Error("slides: publish", "err", err)
		v.Error = d.tr(r).T("web.error.publish_failed")
		d.render(w, r, http.StatusInternalServerError, "slides.html", *v)
		return
	}
	if !d.audit(r, sess.admin, hub.AuditSlidesPublish, url.Values{"version": {strconv.Itoa(ps.Version)}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.slides.audit_failed")
		return
	}
	d.log.Info("slides published from the dashboard", "admin", sess.admin, "version", ps.Version)
	http.Redirect(w, r, PathSlides+"?published="+strconv.Itoa(ps.Version), http.StatusSeeOther)
}
