package survey_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestBuiltin loads every built-in survey and checks the promises made about
// the version of each that kiosks run (the newest; older versions stay as
// they were published, for the answers already given to them): ids,
// sizes, texts, index tags and the skip logic the desks rely on.
func TestBuiltin(t *testing.T) {
	every, err := survey.Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	all := survey.Newest(every)
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
			if q.Type == survey.Info {
				if q.Title["en"] == "" || (q.QR != nil && q.QR.Caption["en"] == "") {
					t.Errorf("%s.%s: English title or QR caption missing", s.ID, q.Code)
				}
				checkAddress(t, s.ID+"."+q.Code, q.Title.In("vi"))
			}
			for _, o := range q.Options {
				if o.Label["en"] == "" {
					t.Errorf("%s.%s.%s: English label missing", s.ID, q.Code, o.Code)
				}
			}
		}
	}
	for _, id := range []string{"mot-cua-nhanh", "sipas", "papi-nhanh", "dich-vu-cong", "lay-y-kien-du-thao"} {
		if byID[id] == nil {
			t.Errorf("built-in survey %q missing; have %d surveys", id, len(all))
		}
	}
	if t.Failed() {
		return
	}

	// The consultation template: the draft's summary and a QR code to its
	// full text, then agree / partly / disagree, then a comment.
	draft := byID["lay-y-kien-du-thao"]
	var shape []string
	for _, q := range draft.Questions {
		shape = append(shape, string(q.Type))
	}
	if !slices.Equal(shape, []string{"info", "single", "text"}) || draft.Questions[0].QR == nil {
		t.Errorf("lay-y-kien-du-thao: screens %v (QR %v), want info with a QR, single, text", shape, draft.Questions[0].QR)
	} else if opts := draft.Questions[1].Options; len(opts) != 3 || opts[0].Code != "dong-y" || opts[1].Code != "dong-y-mot-phan" || opts[2].Code != "khong-dong-y" {
		t.Errorf("lay-y-kien-du-thao: options %v", opts)
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

	// Both SIPAS-style versions are built in (the hub keeps accepting
	// version 1's answers); each covers the five elements.
	sipas := map[int]*survey.Survey{}
	for _, s := range every {
		if s.ID == "sipas" {
			sipas[s.Version] = s
		}
	}
	if len(sipas) != 2 || sipas[1] == nil || sipas[2] == nil {
		t.Fatalf("sipas versions built in: %v, want 1 and 2", sipas)
	}
	for v, s := range sipas {
		if n := len(s.Questions); n > 8 {
			t.Errorf("sipas v%d: %d questions, want at most 8", v, n)
		}
		elements := map[string]bool{}
		for _, q := range s.Questions {
			if q.Index != "" {
				if q.Type != survey.Rating5 {
					t.Errorf("sipas v%d.%s: type %s, want rating5", v, q.Code, q.Type)
				}
				elements[q.Index] = true
			}
		}
		for _, e := range survey.SIPASElements() {
			if !elements["sipas:"+e] {
				t.Errorf("sipas v%d: no question for element %s", v, e)
			}
		}
	}
	// Version 2 follows Decision 1001/QĐ-BNV (2023): perceptions first,
	// including harassment and unofficial payments, then satisfaction,
	// then expectations; and it says it is not the official index.
	v2 := sipas[2]
	for i, want := range []struct {
		code string
		typ  survey.QuestionType
		says string
	}{{"bi_phien_ha", survey.YesNo, "sách nhiễu"}, {"chi_them_tien", survey.YesNo, "chi thêm tiền ngoài phí, lệ phí"}} {
		if q := v2.Questions[i]; q.Code != want.code || q.Type != want.typ || !strings.Contains(q.Text.In("vi"), want.says) || q.Optional {
			t.Errorf("sipas v2 question %d: %s %s %q, want the required perception %s (%s)", i, q.Code, q.Type, q.Text.In("vi"), want.code, want.says)
		}
	}
	if last := v2.Questions[len(v2.Questions)-1]; last.Code != "mong_doi" || last.Type != survey.Multi {
		t.Errorf("sipas v2 ends with %s %s, want the expectations question mong_doi (multi)", last.Code, last.Type)
	}
	if p := v2.Purpose.In("vi"); !strings.Contains(p, "1001/QĐ-BNV") || !strings.Contains(p, "không phải điều tra Chỉ số SIPAS chính thức") {
		t.Errorf("sipas v2 purpose %q: want the method and that it is not the official index", p)
	}
	if err := survey.CheckUpgrade(sipas[1], v2); err != nil {
		t.Errorf("sipas v2 as an upgrade of v1: %v", err)
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

// TestLoadDirVersions: versions of one survey may sit side by side; the
// same version twice, or a version that is no valid upgrade, is refused.
func TestLoadDirVersions(t *testing.T) {
	def := func(v int, typ string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"id":"a","version":` + strconv.Itoa(v) + `,"title":{"vi":"A"},"questions":[{"code":"q","type":"` + typ + `","text":{"vi":"Câu hỏi?"}}]}`)}
	}
	tests := []struct {
		name  string
		files fstest.MapFS
		err   string
		want  []int // versions, file-name order; Newest keeps the last of them
	}{
		{"two versions", fstest.MapFS{"s/a.json": def(1, "rating5"), "s/a_v2.json": def(2, "rating5")}, "", []int{1, 2}},
		{"newest first by name", fstest.MapFS{"s/a-3.json": def(3, "rating5"), "s/a.json": def(1, "rating5")}, "", []int{3, 1}},
		{"same version twice", fstest.MapFS{"s/a.json": def(1, "rating5"), "s/b.json": def(1, "rating5")}, `id "a" version 1 is already in s/a.json`, nil},
		{"type changed", fstest.MapFS{"s/a.json": def(1, "rating5"), "s/a_v2.json": def(2, "rating3")}, "s/a_v2.json as a new version of s/a.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := survey.LoadDir(tt.files, "s")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var versions []int
			for _, s := range got {
				versions = append(versions, s.Version)
			}
			if !slices.Equal(versions, tt.want) {
				t.Errorf("versions %v, want %v", versions, tt.want)
			}
			if n := survey.Newest(got); len(n) != 1 || n[0].Version != slices.Max(tt.want) {
				t.Errorf("Newest: %v", n)
			}
		})
	}
}
