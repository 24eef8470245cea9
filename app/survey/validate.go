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
	return []QuestionType{Rating3, Rating5, Single, Multi, YesNo, Comment, Info}
}

// ReservedCodes are the fixed columns of a response export; no question
// code may take one of these names, so every question gets its own column.
func ReservedCodes() []string {
	return []string{
		"id", "survey", "survey_id", "version", "survey_version",
		"service_point", "device", "device_id", "device_name", "started", "started_at",
		"finished", "finished_at", "duration", "duration_s", "lang", "language",
		"status", "misuse", "misuse_reason", "event", "event_tag", "assisted",
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
		c.add("", "empty", "Không có khảo sát nào.", "There is no survey.")
		return c.err()
	}
	var c problems
	c.survey(s)
	return c.err()
}

func (c *problems) survey(s *Survey) {
	switch {
	case s.ID == "":
		c.add("id", "id_missing",
			"Thiếu mã khảo sát (id), ví dụ “mot-cua-nhanh”.",
			`The survey id is missing, e.g. "mot-cua-nhanh".`)
	case utf8.RuneCountInString(s.ID) > MaxIDLen || !idPattern.MatchString(s.ID):
		c.add("id", "id_format",
			fmt.Sprintf("Mã khảo sát “%s” không hợp lệ: chỉ dùng chữ thường không dấu (a–z), chữ số và dấu gạch ngang giữa các từ, tối đa %d ký tự, ví dụ “mot-cua-nhanh”.", s.ID, MaxIDLen),
			fmt.Sprintf("Survey id %q is invalid: use lowercase letters a-z without accents, digits and single hyphens between words, at most %d characters, e.g. \"mot-cua-nhanh\".", s.ID, MaxIDLen))
	}
	if s.Version < 1 {
		c.add("version", "version",
			fmt.Sprintf("Phiên bản (version) phải là số nguyên từ 1 trở lên, tăng thêm 1 mỗi lần sửa; hiện là %d.", s.Version),
			fmt.Sprintf("The version must be a whole number of at least 1, raised by 1 with every change; it is %d.", s.Version))
	}
	c.text("title", s.Title, true, MaxTitleLen, false)
	c.text("purpose", s.Purpose, false, MaxPurposeLen, false)
	c.text("invitation", s.Invitation, false, MaxInviteLen, false)
	switch s.Abandoned {
	case "", "keep", "discard":
	default:
		c.add("abandoned", "abandoned",
			fmt.Sprintf("Cách xử lý bài làm dở “%s” không hợp lệ: dùng “keep” (giữ lại, đánh dấu bỏ dở) hoặc “discard” (bỏ đi).", s.Abandoned),
			fmt.Sprintf("Abandoned policy %q is invalid: use \"keep\" (save as abandoned) or \"discard\" (drop).", s.Abandoned))
	}
	switch s.Slip {
	case "", SlipNone, SlipOptional, SlipRequired:
	default:
		c.add("slip", "slip",
			fmt.Sprintf("Cách dùng phiếu đánh giá “%s” không hợp lệ: dùng “required” (bắt buộc có phiếu), “optional” (hỏi phiếu, cho phép bỏ qua) hoặc “none” (không dùng phiếu).", s.Slip),
			fmt.Sprintf("Slip policy %q is invalid: use \"required\" (a slip is needed), \"optional\" (asked, may be skipped) or \"none\" (no slips).", s.Slip))
	}
	asks := slices.ContainsFunc(s.Questions, func(q Question) bool { return q.IsQuestion() })
	switch n := len(s.Questions); {
	case n == 0:
		c.add("questions", "no_questions",
			"Khảo sát chưa có câu hỏi nào.",
			"The survey has no questions.")
	case !asks:
		c.add("questions", "only_info",
			"Khảo sát chỉ có màn hình thông tin (info), chưa có câu hỏi nào để người dân trả lời.",
			"The survey has only info screens and no question for citizens to answer.")
	case n > MaxQuestions:
		c.add("questions", "too_many_questions",
			fmt.Sprintf("Khảo sát có %d câu hỏi, tối đa là %d: người dân chỉ nên trả lời vài câu ngắn.", n, MaxQuestions),
			fmt.Sprintf("The survey has %d questions; at most %d are allowed: citizens should answer a few short questions.", n, MaxQuestions))
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
		c.add(path+".code", "code_missing",
			"Câu hỏi thiếu mã (code), ví dụ “thai_do”.",
			`The question has no code, e.g. "thai_do".`)
	case utf8.RuneCountInString(q.Code) > MaxCodeLen || !questionCodeRE.MatchString(q.Code):
		c.add(path+".code", "code_format",
			fmt.Sprintf("Mã câu hỏi “%s” không hợp lệ: dùng chữ thường không dấu (a–z), chữ số và dấu gạch dưới, bắt đầu bằng chữ cái, tối đa %d ký tự, ví dụ “thai_do”.", q.Code, MaxCodeLen),
			fmt.Sprintf("Question code %q is invalid: use lowercase letters a-z without accents, digits and underscores, starting with a letter, at most %d characters, e.g. \"thai_do\".", q.Code, MaxCodeLen))
	case slices.Contains(ReservedCodes(), q.Code):
		c.add(path+".code", "code_reserved",
			fmt.Sprintf("Mã câu hỏi “%s” trùng tên một cột cố định của tệp xuất dữ liệu; hãy đặt mã khác.", q.Code),
			fmt.Sprintf("Question code %q is the name of a fixed export column; choose another code.", q.Code))
	default:
		if j, dup := first[q.Code]; dup {
			c.add(path, "duplicate_code",
				fmt.Sprintf("Mã “%s” bị trùng với câu questions[%d].", q.Code, j),
				fmt.Sprintf("duplicate code %q", q.Code))
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
		c.add(path+".type", "type_missing",
			"Câu hỏi thiếu loại (type): dùng một trong rating3, rating5, single, multi, yesno, text, info.",
			"The question has no type: use one of rating3, rating5, single, multi, yesno, text, info.")
	case !known:
		c.add(path+".type", "type_unknown",
			fmt.Sprintf("Loại câu hỏi “%s” không có: dùng một trong rating3, rating5, single, multi, yesno, text, info.", q.Type),
			fmt.Sprintf("Unknown question type %q: use one of rating3, rating5, single, multi, yesno, text, info.", q.Type))
	case q.Type == Info:
		c.info(path, q)
	case q.Type == Single || q.Type == Multi:
		c.options(path, q)
	case len(q.Options) > 0 && q.Type == Comment:
		c.add(path+".options", "options_not_allowed",
			"Câu hỏi ý kiến (text) để người dân tự viết, không có lựa chọn: hãy xoá phần options.",
			"A comment (text) question is answered in free text and has no options: remove options.")
	case len(q.Options) > 0:
		c.add(path+".options", "options_not_allowed",
			fmt.Sprintf("Câu hỏi loại %s dùng thang trả lời cố định, không được liệt kê lựa chọn: hãy xoá phần options.", q.Type),
			fmt.Sprintf("A %s question uses the fixed answer scale and must not list options: remove options.", q.Type))
	}
	if q.Type == Comment && !q.Optional {
		c.add(path+".optional", "comment_required",
			"Câu hỏi ý kiến (text) phải có \"optional\": true: không bắt người dân phải gõ chữ.",
			`A comment (text) question must have "optional": true: citizens are never forced to type.`)
	}

	if q.Type != Info {
		for _, f := range []struct {
			name string
			set  bool
		}{{"title", len(q.Title) > 0}, {"image", q.Image != ""}, {"qr", q.QR != nil}} {
			if f.set {
				c.add(path+"."+f.name, "info_only",
					fmt.Sprintf("Chỉ màn hình thông tin (info) mới có “%s”; câu này là loại %s: hãy xoá trường này.", f.name, q.Type),
					fmt.Sprintf("Only an info screen has %q; this question is %s: remove this field.", f.name, q.Type))
			}
		}
	}
	if q.Index != "" && q.Type != Info {
		if _, _, ok := IndexTag(q.Index); !ok {
			c.add(path+".index", "index_format",
				fmt.Sprintf("Nhãn chỉ số “%s” không hợp lệ: dùng sipas:tiep-can, sipas:thu-tuc, sipas:cong-chuc, sipas:ket-qua, sipas:phan-anh hoặc papi:1 đến papi:8.", q.Index),
				fmt.Sprintf("Index tag %q is invalid: use sipas:tiep-can, sipas:thu-tuc, sipas:cong-chuc, sipas:ket-qua, sipas:phan-anh or papi:1 to papi:8.", q.Index))
		} else if known && !q.Type.IsRating() {
			c.add(path+".index", "index_type",
				fmt.Sprintf("Chỉ câu hỏi đánh giá mức hài lòng (rating3 hoặc rating5) mới gắn được nhãn chỉ số; câu này là loại %s.", q.Type),
				fmt.Sprintf("Only satisfaction ratings (rating3 or rating5) can carry an index tag; this question is %s.", q.Type))
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
		c.add(path, "labels_not_allowed",
			fmt.Sprintf("Chỉ câu hỏi có/không (yesno) mới đặt được chữ riêng cho hai câu trả lời (labels); câu này là loại %s.", q.Type),
			fmt.Sprintf("Only a yes/no (yesno) question can have its own answer words (labels); this question is %s.", q.Type))
		return
	}
	if len(q.Labels.Yes) == 0 || len(q.Labels.No) == 0 {
		c.add(path, "labels_missing",
			"Phần labels phải có chữ cho cả hai câu trả lời: “yes” và “no”, ví dụ {\"yes\": {\"vi\": \"Rồi\"}, \"no\": {\"vi\": \"Chưa\"}}.",
			`labels must give the words of both answers, "yes" and "no", e.g. {"yes": {"vi": "Rồi"}, "no": {"vi": "Chưa"}}.`)
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
		c.add(path+".options", "too_few_options",
			fmt.Sprintf("Câu hỏi chọn (%s) cần ít nhất 2 lựa chọn; hiện có %d.", q.Type, n),
			fmt.Sprintf("A choice (%s) question needs at least 2 options; it has %d.", q.Type, n))
	case n > MaxOptions:
		c.add(path+".options", "too_many_options",
			fmt.Sprintf("Câu hỏi có %d lựa chọn, tối đa là %d.", n, MaxOptions),
			fmt.Sprintf("The question has %d options; at most %d are allowed.", n, MaxOptions))
	}
	first := map[string]int{}
	for i, o := range q.Options {
		op := fmt.Sprintf("%s.options[%d]", path, i)
		switch {
		case o.Code == "":
			c.add(op+".code", "code_missing",
				"Lựa chọn thiếu mã (code), ví dụ “cho-lau”.",
				`The option has no code, e.g. "cho-lau".`)
		case utf8.RuneCountInString(o.Code) > MaxCodeLen || !optionCodePattern.MatchString(o.Code):
			c.add(op+".code", "code_format",
				fmt.Sprintf("Mã lựa chọn “%s” không hợp lệ: dùng chữ thường không dấu (a–z), chữ số, dấu gạch dưới hoặc gạch ngang, tối đa %d ký tự, ví dụ “cho-lau”.", o.Code, MaxCodeLen),
				fmt.Sprintf("Option code %q is invalid: use lowercase letters a-z without accents, digits, underscores or hyphens, at most %d characters, e.g. \"cho-lau\".", o.Code, MaxCodeLen))
		default:
			if j, dup := first[o.Code]; dup {
				c.add(op, "duplicate_code",
					fmt.Sprintf("Mã “%s” bị trùng với lựa chọn %s.options[%d].", o.Code, path, j),
					fmt.Sprintf("duplicate code %q", o.Code))
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
		c.add(path+".question", "show_if_missing",
			"Điều kiện hiển thị (show_if) thiếu mã câu hỏi đứng trước (question).",
			"The show_if condition does not name the earlier question (question).")
	case cond.Question == q.Code:
		c.add(path+".question", "show_if_self",
			"Điều kiện hiển thị (show_if) không được dựa vào chính câu hỏi này; hãy dựa vào một câu hỏi đứng trước.",
			"The show_if condition cannot depend on the question itself; use an earlier question.")
	default:
		if i, ok := first[cond.Question]; ok {
			target = &all[i]
		}
		if target == nil {
			c.add(path+".question", "show_if_order",
				fmt.Sprintf("Điều kiện hiển thị (show_if) dựa vào câu hỏi “%s” nhưng không có câu hỏi nào mã đó đứng trước câu này.", cond.Question),
				fmt.Sprintf("The show_if condition refers to question %q, but no earlier question has that code.", cond.Question))
		} else if target.Type == Comment {
			c.add(path+".question", "show_if_comment",
				fmt.Sprintf("Điều kiện hiển thị (show_if) không dựa được vào câu hỏi ý kiến “%s” vì câu trả lời là chữ tự do.", cond.Question),
				fmt.Sprintf("The show_if condition cannot depend on comment question %q: its answer is free text.", cond.Question))
			target = nil
		} else if target.Type == Info {
			c.add(path+".question", "show_if_info",
				fmt.Sprintf("Điều kiện hiển thị (show_if) không dựa được vào màn hình thông tin “%s” vì nó không có câu trả lời.", cond.Question),
				fmt.Sprintf("The show_if condition cannot depend on info screen %q: it takes no answer.", cond.Question))
			target = nil
		}
	}
	if len(cond.AnyOf) == 0 {
		c.add(path+".any_of", "show_if_empty",
			"Điều kiện hiển thị (show_if) cần ít nhất một mã câu trả lời trong any_of, ví dụ [\"khl\"].",
			`The show_if condition needs at least one answer code in any_of, e.g. ["khl"].`)
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
			c.add(ap, "duplicate_code",
				fmt.Sprintf("Mã “%s” bị lặp lại.", code),
				fmt.Sprintf("duplicate code %q", code))
		case !slices.Contains(codes, code):
			c.add(ap, "show_if_code",
				fmt.Sprintf("Câu hỏi “%s” không có câu trả lời mã “%s”; các mã có thể dùng: %s.", target.Code, code, strings.Join(codes, ", ")),
				fmt.Sprintf("Question %q has no answer code %q; the codes are: %s.", target.Code, code, strings.Join(codes, ", ")))
		}
		seen[code] = true
	}
}

// text checks one piece of user-facing text.
func (c *problems) text(path string, t Text, required bool, maxLen int, multiline bool) {
	if required && strings.TrimSpace(t["vi"]) == "" {
		c.add(path+".vi", "text_missing_vi",
			"Thiếu nội dung tiếng Việt (vi).",
			"The Vietnamese text (vi) is missing.")
	} else if !required && len(t) > 0 && strings.TrimSpace(t["vi"]) == "" {
		c.add(path+".vi", "text_missing_vi",
			"Có bản tiếng Anh nhưng thiếu nội dung tiếng Việt (vi).",
			"There is an English text but the Vietnamese text (vi) is missing.")
	}
	for _, lang := range slices.Sorted(maps.Keys(t)) {
		v := t[lang]
		lp := path + "." + lang
		if !slices.Contains(Languages(), lang) {
			c.add(lp, "text_language",
				fmt.Sprintf("Ngôn ngữ “%s” không được hỗ trợ: dùng “vi” cho tiếng Việt và “en” cho tiếng Anh.", lang),
				fmt.Sprintf("Language %q is not supported: use \"vi\" for Vietnamese and \"en\" for English.", lang))
			continue
		}
		if n := utf8.RuneCountInString(v); n > maxLen {
			c.add(lp, "text_too_long",
				fmt.Sprintf("Nội dung dài %d ký tự, tối đa là %d: hãy viết ngắn lại.", n, maxLen),
				fmt.Sprintf("The text is %d characters long; at most %d are allowed: make it shorter.", n, maxLen))
		}
		if bad := strings.IndexFunc(v, func(r rune) bool {
			return (unicode.IsControl(r) && !(multiline && r == '\n')) || r == utf8.RuneError
		}); bad >= 0 {
			if multiline {
				c.add(lp, "text_control",
					"Nội dung có ký tự điều khiển (tab hoặc ký tự lạ); hãy xoá ký tự đó.",
					"The text contains a control character (a tab or a stray character); remove it.")
			} else {
				c.add(lp, "text_control",
					"Nội dung phải nằm trên một dòng, không có ký tự xuống dòng, tab hoặc ký tự lạ.",
					"The text must be on one line, without line breaks, tabs or stray characters.")
			}
		}
		if !norm.NFC.IsNormalString(v) {
			c.add(lp, "text_not_nfc",
				"Nội dung chưa ở dạng Unicode dựng sẵn (NFC); hãy nạp tệp bằng Parse để tự chuẩn hoá.",
				"The text is not in Unicode NFC form; load the file with Parse, which normalises it.")
		}
	}
}
