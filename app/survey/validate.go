package survey

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of a survey definition. A kiosk survey is answered standing at a
// desk, often by elderly citizens: keep it short.
const (
	MaxQuestions   = 30  // screens (questions and info screens) in one survey
	MaxOptions     = 12  // options of one single or multi question
	MaxIDLen       = 64  // characters of a survey id
	MaxCodeLen     = 32  // characters of a question or option code
	MaxTitleLen    = 120 // characters of a survey title, per language
	MaxPurposeLen  = 300 // characters of the purpose notice, per language
	MaxInviteLen   = 200 // characters of the welcome screen's invitation, per language
	MaxQuestionLen = 300 // characters of a question text, per language
	MaxOptionLen   = 80  // characters of an option label, per language
)

// Languages are the language codes a Text may hold, Vietnamese first.
func Languages() []string { return []string{"vi", "en"} }

// SIPASElements are the five SIPAS elements an index tag "sipas:<element>"
// may name: access to the service, administrative procedures, officials,
// results, and handling of feedback.
func SIPASElements() []string {
	return []string{"tiep-can", "thu-tuc", "cong-chuc", "ket-qua", "phan-anh"}
}

// Types returns every known question type.
func Types() []QuestionType {
	return []QuestionType{Rating3, Rating5, Single, Multi, YesNo, Comment, Info, Feedback}
}

// ReservedCodes are the fixed columns of a response export; no question
// code may take one of these names, so every question gets its own column.
func ReservedCodes() []string {
	return []string{
		"id", "survey", "survey_id", "version", "survey_version",
		"service_point", "device", "device_id", "device_name", "started", "started_at",
		"finished", "finished_at", "duration", "duration_s", "lang", "language",
		"status", "misuse", "misuse_reason", "event", "event_tag", "assisted",
		"slip", "with_slip", "slip_channel",
	}
}

var (
	idPattern         = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	questionCodeRE    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	optionCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	indexPattern      = regexp.MustCompile(`^papi:[1-8]$`)
)

// IndexTag splits a valid index tag into its family ("sipas" or "papi") and
// its element or dimension. ok is false for an empty or invalid tag.
func IndexTag(tag string) (family, key string, ok bool) {
	family, key, _ = strings.Cut(tag, ":")
	switch {
	case family == "sipas" && slices.Contains(SIPASElements(), key),
		family == "papi" && indexPattern.MatchString(tag):
		return family, key, true
	}
	return "", "", false
}

// Validate checks a survey definition and returns every problem found at
// once, as Problems, or nil when the survey may be used. It does not change
// s; Parse normalises text to NFC before validating.
func Validate(s *Survey) error {
	if s == nil {
		var c problems
		c.add("", "survey.problem.empty.survey", nil)
		return c.err()
	}
	var c problems
	c.survey(s)
	return c.err()
}

func (c *problems) survey(s *Survey) {
	switch {
	case s.ID == "":
		c.add("id", "survey.problem.id_missing", nil)
	case utf8.RuneCountInString(s.ID) > MaxIDLen || !idPattern.MatchString(s.ID):
		c.add("id", "survey.problem.id_format", map[string]any{"ID": s.ID, "Max": MaxIDLen})
	}
	if s.Version < 1 {
		c.add("version", "survey.problem.version", map[string]any{"Version": s.Version})
	}
	c.text("title", s.Title, true, MaxTitleLen, false)
	c.text("purpose", s.Purpose, false, MaxPurposeLen, false)
	c.text("invitation", s.Invitation, false, MaxInviteLen, false)
	switch s.Abandoned {
	case "", "keep", "discard":
	default:
		c.add("abandoned", "survey.problem.abandoned", map[string]any{"Abandoned": s.Abandoned})
	}
	switch s.Slip {
	case "", SlipNone, SlipOptional, SlipRequired:
	default:
		c.add("slip", "survey.problem.slip", map[string]any{"Slip": s.Slip})
	}
	asks := slices.ContainsFunc(s.Questions, func(q Question) bool { return q.IsQuestion() })
	switch n := len(s.Questions); {
	case n == 0:
		c.add("questions", "survey.problem.no_questions", nil)
	case !asks:
		c.add("questions", "survey.problem.only_info", nil)
	case n > MaxQuestions:
		c.add("questions", "survey.problem.too_many_questions", map[string]any{"N": n, "Max": MaxQuestions})
	}
	first := map[string]int{} // question code → index of its first use
	for i := range s.Questions {
		q := &s.Questions[i]
		c.question(fmt.Sprintf("questions[%d]", i), q, s.Questions, first)
		if _, dup := first[q.Code]; !dup && q.Code != "" {
			first[q.Code] = i
		}
	}
}

// question checks q; first maps the codes of the questions before it to the
// index of their first use.
func (c *problems) question(path string, q *Question, all []Question, first map[string]int) {
	switch {
	case q.Code == "":
		c.add(path+".code", "survey.problem.code_missing", nil)
	case utf8.RuneCountInString(q.Code) > MaxCodeLen || !questionCodeRE.MatchString(q.Code):
		c.add(path+".code", "survey.problem.code_format", map[string]any{"Code": q.Code, "Max": MaxCodeLen})
	case slices.Contains(ReservedCodes(), q.Code):
		c.add(path+".code", "survey.problem.code_reserved", map[string]any{"Code": q.Code})
	default:
		if j, dup := first[q.Code]; dup {
			c.add(path, "survey.problem.duplicate_code", map[string]any{"Code": q.Code, "Other": j})
		}
	}
	textLen := MaxQuestionLen
	if q.Type == Info {
		textLen = MaxInfoTextLen
	}
	c.text(path+".text", q.Text, true, textLen, true)

	known := slices.Contains(Types(), q.Type)
	switch {
	case q.Type == "":
		c.add(path+".type", "survey.problem.type_missing", nil)
	case !known:
		c.add(path+".type", "survey.problem.type_unknown", map[string]any{"Type": q.Type})
	case q.Type == Info:
		c.info(path, q)
	case q.Type == Single || q.Type == Multi:
		c.options(path, q)
	case len(q.Options) > 0 && q.Type == Comment:
		c.add(path+".options", "survey.problem.options_not_allowed.comment", nil)
	case len(q.Options) > 0:
		c.add(path+".options", "survey.problem.options_not_allowed", map[string]any{"Type": q.Type})
	}
	if q.Type == Comment && !q.Optional {
		c.add(path+".optional", "survey.problem.comment_required", nil)
	}

	if q.Type != Info {
		for _, f := range []struct {
			name string
			set  bool
		}{{"title", len(q.Title) > 0}, {"image", q.Image != ""}, {"qr", q.QR != nil}} {
			if f.set {
				c.add(path+"."+f.name, "survey.problem.info_only", map[string]any{"Name": f.name, "Type": q.Type})
			}
		}
	}
	if q.Index != "" && q.Type != Info {
		if _, _, ok := IndexTag(q.Index); !ok {
			c.add(path+".index", "survey.problem.index_format", map[string]any{"Index": q.Index})
		} else if known && !q.Type.IsRating() {
			c.add(path+".index", "survey.problem.index_type", map[string]any{"Type": q.Type})
		}
	}
	if q.ShowIf != nil {
		c.showIf(path+".show_if", q, all, first)
	}
	if q.Labels != nil && q.Type != Info {
		c.labels(path+".labels", q)
	}
}

// labels checks a yes/no question's own answer words.
func (c *problems) labels(path string, q *Question) {
	if q.Type != YesNo {
		c.add(path, "survey.problem.labels_not_allowed", map[string]any{"Type": q.Type})
		return
	}
	if len(q.Labels.Yes) == 0 || len(q.Labels.No) == 0 {
		c.add(path, "survey.problem.labels_missing", nil)
	}
	if len(q.Labels.Yes) > 0 {
		c.text(path+".yes", q.Labels.Yes, true, MaxOptionLen, false)
	}
	if len(q.Labels.No) > 0 {
		c.text(path+".no", q.Labels.No, true, MaxOptionLen, false)
	}
}

func (c *problems) options(path string, q *Question) {
	switch n := len(q.Options); {
	case n < 2:
		c.add(path+".options", "survey.problem.too_few_options", map[string]any{"Type": q.Type, "N": n})
	case n > MaxOptions:
		c.add(path+".options", "survey.problem.too_many_options", map[string]any{"N": n, "Max": MaxOptions})
	}
	first := map[string]int{}
	for i, o := range q.Options {
		op := fmt.Sprintf("%s.options[%d]", path, i)
		switch {
		case o.Code == "":
			c.add(op+".code", "survey.problem.code_missing.option", nil)
		case utf8.RuneCountInString(o.Code) > MaxCodeLen || !optionCodePattern.MatchString(o.Code):
			c.add(op+".code", "survey.problem.code_format.option", map[string]any{"Code": o.Code, "Max": MaxCodeLen})
		default:
			if j, dup := first[o.Code]; dup {
				c.add(op, "survey.problem.duplicate_code.option", map[string]any{"Code": o.Code, "Path": path, "Other": j})
			} else {
				first[o.Code] = i
			}
		}
		c.text(op+".label", o.Label, true, MaxOptionLen, false)
	}
}

func (c *problems) showIf(path string, q *Question, all []Question, first map[string]int) {
	cond := q.ShowIf
	var target *Question
	switch {
	case cond.Question == "":
		c.add(path+".question", "survey.problem.show_if_missing", nil)
	case cond.Question == q.Code:
		c.add(path+".question", "survey.problem.show_if_self", nil)
	default:
		if i, ok := first[cond.Question]; ok {
			target = &all[i]
		}
		if target == nil {
			c.add(path+".question", "survey.problem.show_if_order", map[string]any{"Question": cond.Question})
		} else if target.Type == Comment {
			c.add(path+".question", "survey.problem.show_if_comment", map[string]any{"Question": cond.Question})
			target = nil
		} else if !target.IsQuestion() {
			c.add(path+".question", "survey.problem.show_if_info", map[string]any{"Question": cond.Question})
			target = nil
		}
	}
	if len(cond.AnyOf) == 0 {
		c.add(path+".any_of", "survey.problem.show_if_empty", nil)
		return
	}
	if target == nil || !slices.Contains(Types(), target.Type) {
		return
	}
	codes := make([]string, 0, len(target.OptionsOf()))
	for _, o := range target.OptionsOf() {
		codes = append(codes, o.Code)
	}
	seen := map[string]bool{}
	for i, code := range cond.AnyOf {
		ap := fmt.Sprintf("%s.any_of[%d]", path, i)
		switch {
		case seen[code]:
			c.add(ap, "survey.problem.duplicate_code.any_of", map[string]any{"Code": code})
		case !slices.Contains(codes, code):
			c.add(ap, "survey.problem.show_if_code", map[string]any{"Target": target.Code, "Code": code, "Codes": strings.Join(codes, ", ")})
		}
		seen[code] = true
	}
}

// text checks one piece of user-facing text.
func (c *problems) text(path string, t Text, required bool, maxLen int, multiline bool) {
	if required && strings.TrimSpace(t["vi"]) == "" {
		c.add(path+".vi", "survey.problem.text_missing_vi", nil)
	} else if !required && len(t) > 0 && strings.TrimSpace(t["vi"]) == "" {
		c.add(path+".vi", "survey.problem.text_missing_vi.has_en", nil)
	}
	for _, lang := range slices.Sorted(maps.Keys(t)) {
		v := t[lang]
		lp := path + "." + lang
		if !slices.Contains(Languages(), lang) {
			c.add(lp, "survey.problem.text_language", map[string]any{"Lang": lang})
			continue
		}
		if n := utf8.RuneCountInString(v); n > maxLen {
			c.add(lp, "survey.problem.text_too_long", map[string]any{"N": n, "Max": maxLen})
		}
		if bad := strings.IndexFunc(v, func(r rune) bool {
			return (unicode.IsControl(r) && !(multiline && r == '\n')) || r == utf8.RuneError
		}); bad >= 0 {
			if multiline {
				c.add(lp, "survey.problem.text_control", nil)
			} else {
				c.add(lp, "survey.problem.text_control.line", nil)
			}
		}
		if !norm.NFC.IsNormalString(v) {
			c.add(lp, "survey.problem.text_not_nfc", nil)
		}
	}
}
