// Package survey holds the kiosk's domain model: survey definitions, questions,
// answers and responses, their validation and skip logic. It imports neither
// Fyne, SQL nor net/http, so the kiosk, the hub and the tools share it.
package survey

import (
	"sync"
	"time"
)

// Text is a piece of user-facing text keyed by language code ("vi", "en").
// Vietnamese is required on every text; English is optional and falls back to
// Vietnamese when missing.
type Text map[string]string

// In returns the text in lang, falling back to Vietnamese.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["vi"]
}

// QuestionType names how a question is asked and answered.
type QuestionType string

// The question types a survey may use.
const (
	// Rating3 is the 3-level per-file scale: Rất hài lòng / Hài lòng / Không hài lòng.
	Rating3 QuestionType = "rating3"
	// Rating5 is the 5-level SIPAS scale, from Rất không hài lòng to Rất hài lòng.
	Rating5 QuestionType = "rating5"
	// Single is a single choice among the question's own options.
	Single QuestionType = "single"
	// Multi is a multiple choice among the question's own options.
	Multi QuestionType = "multi"
	// YesNo is a yes/no question with the fixed codes "yes" and "no".
	YesNo QuestionType = "yesno"
	// Comment is an optional free-text comment.
	Comment QuestionType = "text"
	// Info is an information screen, not a question: a title, a text, an
	// optional image and an optional QR code with its caption. It takes no
	// answer, is never counted as a question and has no export column.
	Info QuestionType = "info"
	// Feedback is a screen that offers the citizen to give feedback with
	// an answer (phản ánh, kiến nghị: sync/feedback) in the middle of a
	// survey: its text invites, a button opens the kiosk's feedback flow,
	// and Next goes on. Like Info it takes no answer, is never counted as
	// a question and has no export column: the case is kept apart from
	// the response, which says nothing of it.
	Feedback QuestionType = "feedback"
)

// Answer codes of the built-in scales. Codes are stored, never labels, so
// relabelling or translating never changes data.
const (
	CodeVerySatisfied    = "rhl"  // Rất hài lòng
	CodeSatisfied        = "hl"   // Hài lòng
	CodeNeutral          = "bt"   // Bình thường
	CodeNotSatisfied     = "khl"  // Không hài lòng
	CodeVeryDissatisfied = "rkhl" // Rất không hài lòng
	CodeYes              = "yes"
	CodeNo               = "no"
)

// Survey is one version of a survey definition, as loaded from JSON.
type Survey struct {
	// ID is the stable survey identifier, e.g. "mot-cua-nhanh".
	ID string `json:"id"`
	// Version increases by one with every published change.
	Version int `json:"version"`
	// Title is shown on the welcome screen and in reports.
	Title Text `json:"title"`
	// Purpose is the one-line purpose notice shown before the questions.
	Purpose Text `json:"purpose,omitempty"`
	// Invitation is the welcome screen's one-line invitation to answer
	// this survey; without it the kiosk shows a general one.
	Invitation Text `json:"invitation,omitempty"`
	// Abandoned says what happens to partial answers on idle reset:
	// "keep" saves them with status abandoned (the default), "discard" drops them.
	Abandoned string `json:"abandoned,omitempty"`
	// Slip says whether a citizen gives a one-time rating slip before
	// answering: SlipRequired, SlipOptional, or empty (or SlipNone) when the
	// survey does not use slips.
	Slip SlipPolicy `json:"slip,omitempty"`
	// Questions are asked in order, one a screen, subject to ShowIf.
	Questions []Question `json:"questions"`
}

// SlipPolicy is whether a survey asks for a rating slip (issue #15: one
// rating per visit).
type SlipPolicy string

// The slip policies a survey may name. The empty policy means SlipNone.
const (
	// SlipNone: the survey does not use slips; the welcome screen is unchanged.
	SlipNone SlipPolicy = "none"
	// SlipOptional: the kiosk asks for a slip but the citizen may answer without one.
	SlipOptional SlipPolicy = "optional"
	// SlipRequired: the survey cannot start without a slip.
	SlipRequired SlipPolicy = "required"
)

// Uses reports whether the policy asks for a slip at all.
func (p SlipPolicy) Uses() bool { return p == SlipOptional || p == SlipRequired }

// Question is one screen of a survey.
type Question struct {
	// Code is stable across versions and is the column name in exports.
	Code string `json:"code"`
	// Type is the question type.
	Type QuestionType `json:"type"`
	// Text is the question as asked.
	Text Text `json:"text"`
	// Options are the choices of single and multi questions. Rating and
	// yes/no questions use the fixed scales from StandardOptions and must not
	// list options.
	Options []Option `json:"options,omitempty"`
	// Index tags the question for index maths: "sipas:<element>" or "papi:<1-8>".
	Index string `json:"index,omitempty"`
	// Optional lets the citizen skip the question.
	Optional bool `json:"optional,omitempty"`
	// ShowIf, when set, asks the question only if an earlier answer matches.
	ShowIf *Condition `json:"show_if,omitempty"`
	// Labels, on a yes/no question only, are the words of its two answers
	// when the question's wording calls for others than Có / Không
	// ("đã từng … chưa?" is answered Rồi / Chưa). The codes stay yes and no.
	Labels *YesNoLabels `json:"labels,omitempty"`
	// Title, on an info screen only, is its heading above Text.
	Title Text `json:"title,omitempty"`
	// Image, on an info screen only, is a PNG or JPEG picture embedded as
	// a data URI ("data:image/png;base64,..."), so that it travels inside
	// the survey's JSON wherever the survey goes; at most MaxImageBytes.
	Image string `json:"image,omitempty"`
	// QR, on an info screen only, is a link shown as a QR code with its
	// caption (the full text of a draft, a portal page).
	QR *QRCode `json:"qr,omitempty"`
}

// QRCode is a link an info screen shows as a QR code, with a caption
// saying what a phone that scans it opens.
type QRCode struct {
	URL     string `json:"url"`
	Caption Text   `json:"caption"`
}

// IsQuestion reports whether q asks for an answer: every type does but
// Info and Feedback. Only questions are counted, answered and exported.
func (q *Question) IsQuestion() bool { return q.Type != Info && q.Type != Feedback }

// QuestionCount is the number of questions of s, its info screens left out.
func (s *Survey) QuestionCount() int {
	n := 0
	for i := range s.Questions {
		if s.Questions[i].IsQuestion() {
			n++
		}
	}
	return n
}

// YesNoLabels are the words on a yes/no question's two answers.
type YesNoLabels struct {
	Yes Text `json:"yes"`
	No  Text `json:"no"`
}

// Option is one answer choice.
type Option struct {
	// Code is the stored answer value.
	Code string `json:"code"`
	// Label is the text on the button.
	Label Text `json:"label"`
}

// Condition is skip logic: the question is shown only when the earlier
// question Question was answered with at least one of AnyOf.
type Condition struct {
	Question string   `json:"question"`
	AnyOf    []string `json:"any_of"`
}

// Answers maps question codes to the chosen option codes. A comment question
// holds its NFC-normalised text as the only element.
type Answers map[string][]string

// Status is how a response ended.
type Status string

// Response statuses.
const (
	StatusComplete  Status = "complete"
	StatusAbandoned Status = "abandoned"
)

// Response is one citizen's answers to one survey version. It is anonymous:
// it carries where and when, never who.
type Response struct {
	// ID is a time-ordered UUID (version 7), made when the survey starts.
	ID string `json:"id"`
	// SurveyID and SurveyVersion name the definition the answers belong to.
	SurveyID      string `json:"survey_id"`
	SurveyVersion int    `json:"survey_version"`
	// Answers are the codes chosen, by question code.
	Answers Answers `json:"answers"`
	// StartedAt and FinishedAt are in UTC.
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// ServicePoint is the free-text name of the desk or outreach place.
	ServicePoint string `json:"service_point"`
	// DeviceID identifies the kiosk that collected the response.
	DeviceID string `json:"device_id"`
	// Lang is the language the citizen used ("vi" or "en").
	Lang string `json:"lang"`
	// Status says whether the survey was completed or abandoned.
	Status Status `json:"status"`
	// Misuse is set when the response looks like button mashing; MisuseReason says why.
	Misuse       bool   `json:"misuse,omitempty"`
	MisuseReason string `json:"misuse_reason,omitempty"`
	// EventTag is the outreach event ("KCN Thăng Long – ca sáng"), empty at a desk.
	EventTag string `json:"event_tag,omitempty"`
	// Assisted is set when staff read the survey aloud for the citizen.
	Assisted bool `json:"assisted,omitempty"`
	// Slip is the compact code of the one-time rating slip the citizen gave
	// ("ABCDE12345"), empty when the response was given without one.
	Slip string `json:"slip,omitempty"`
}

// Duration is the time the citizen spent on the survey.
func (r *Response) Duration() time.Duration { return r.FinishedAt.Sub(r.StartedAt) }

// Location is the time zone responses are shown in.
func Location() *time.Location { return location() }

// location loads the zone once: time.LoadLocation reads and parses the
// zone file on every call, and Location is called for every response
// stored and every rollup row read. A *time.Location is safe for
// concurrent use and never changes.
var location = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
})

// HelpQuestion is the code of the yes/no question whose "yes" asks staff
// for help with the online portal there and then (issue #11): the
// kiosk raises a help request as the citizen moves on from it. The
// built-in dich-vu-cong surveys ask it.
const HelpQuestion = "can_ho_tro"

// AsksHelp reports whether a "yes" to q raises a staff help request.
func (q *Question) AsksHelp() bool { return q.Type == YesNo && q.Code == HelpQuestion }
