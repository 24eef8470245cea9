package survey_test

import (
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestBuiltin loads every built-in survey and checks the promises made about
// each: ids, sizes, index tags and the skip logic the desks rely on.
func TestBuiltin(t *testing.T) {
	all, err := survey.Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	byID := map[string]*survey.Survey{}
	invitations := map[string]string{}
	for _, s := range all {
		byID[s.ID] = s
		if s.Purpose.In("vi") == "" || s.Purpose["en"] == "" {
			t.Errorf("%s: purpose notice missing in vi or en", s.ID)
		}
		// Each survey invites in its own words.
		if s.Invitation.In("vi") == "" || s.Invitation["en"] == "" {
			t.Errorf("%s: invitation missing in vi or en", s.ID)
		}
		if other := invitations[s.Invitation.In("vi")]; other != "" {
			t.Errorf("%s: same invitation as %s", s.ID, other)
		}
		invitations[s.Invitation.In("vi")] = s.ID
		for _, txt := range []survey.Text{s.Title, s.Purpose, s.Invitation} {
			checkAddress(t, s.ID, txt.In("vi"))
		}
		for _, q := range s.Questions {
			if q.Text["en"] == "" {
				t.Errorf("%s.%s: English text missing", s.ID, q.Code)
			}
			checkAddress(t, s.ID+"."+q.Code, q.Text.In("vi"))
			// The comment screen shows the privacy notice itself: once.
			if q.Type == survey.Comment && strings.Contains(q.Text.In("vi"), "họ tên") {
				t.Errorf("%s.%s: the question repeats the privacy notice: %q", s.ID, q.Code, q.Text.In("vi"))
			}
			for _, o := range q.Options {
				if o.Label["en"] == "" {
					t.Errorf("%s.%s.%s: English label missing", s.ID, q.Code, o.Code)
				}
			}
		}
	}
	for _, id := range []string{"mot-cua-nhanh", "sipas", "papi-nhanh", "dich-vu-cong"} {
		if byID[id] == nil {
			t.Errorf("built-in survey %q missing; have %d surveys", id, len(all))
		}
	}
	if t.Failed() {
		return
	}

	quick := byID["mot-cua-nhanh"]
	ratings := 0
	for _, q := range quick.Questions {
		if q.Type == survey.Rating3 {
			ratings++
		}
	}
	if ratings != 3 {
		t.Errorf("mot-cua-nhanh: %d rating3 questions, want 3", ratings)
	}
	why := quick.Question("ly_do")
	if why == nil || why.Type != survey.Multi {
		t.Fatalf("mot-cua-nhanh: no multi question ly_do")
	}
	for _, tc := range []struct {
		overall string
		want    bool
	}{{survey.CodeVerySatisfied, false}, {survey.CodeSatisfied, false}, {survey.CodeNotSatisfied, true}, {"", false}} {
		a := survey.Answers{"thai_do": {"hl"}, "thoi_gian": {"khl"}}
		if tc.overall != "" {
			a["chung"] = []string{tc.overall}
		}
		if got := why.Visible(a); got != tc.want {
			t.Errorf("mot-cua-nhanh: ly_do visible after chung=%q = %v, want %v", tc.overall, got, tc.want)
		}
	}

	sipas := byID["sipas"]
	if n := len(sipas.Questions); n > 8 {
		t.Errorf("sipas: %d questions, want at most 8", n)
	}
	elements := map[string]bool{}
	for _, q := range sipas.Questions {
		if q.Index != "" {
			if q.Type != survey.Rating5 {
				t.Errorf("sipas.%s: type %s, want rating5", q.Code, q.Type)
			}
			elements[q.Index] = true
		}
	}
	for _, e := range survey.SIPASElements() {
		if !elements["sipas:"+e] {
			t.Errorf("sipas: no question for element %s", e)
		}
	}

	papi := byID["papi-nhanh"]
	dims := map[string]int{}
	for _, q := range papi.Questions {
		dims[q.Index]++
	}
	for d := 1; d <= 8; d++ {
		if tag := "papi:" + string(rune('0'+d)); dims[tag] != 1 {
			t.Errorf("papi-nhanh: %d questions tagged %s, want 1", dims[tag], tag)
		}
	}
	if len(papi.Questions) != 8 {
		t.Errorf("papi-nhanh: %d questions, want 8", len(papi.Questions))
	}

	dvc := byID["dich-vu-cong"]
	for _, code := range []string{"da_dung", "can_ho_tro"} {
		if q := dvc.Question(code); q == nil || q.Type != survey.YesNo {
			t.Errorf("dich-vu-cong: %s is not a yes/no question", code)
		}
	}
	if q := dvc.Question("quet_qr"); q == nil || q.Type != survey.Single {
		t.Errorf("dich-vu-cong: quet_qr is not a single-choice question")
	}
}

// checkAddress fails on any form of address to the citizen but "Ông/Bà".
func checkAddress(t *testing.T, where, text string) {
	t.Helper()
	for _, bad := range []string{"ông/bà", "ông bà", "Ông Bà", "anh/chị", "Anh/Chị", "bạn ", "Bạn ", "quý khách", "Quý khách"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s: %q addresses the citizen as %q, not Ông/Bà", where, text, bad)
		}
	}
}
