package export

import (
	"flag"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// fixtureSurvey is a small survey with every question type.
func fixtureSurvey() *survey.Survey {
	return &survey.Survey{
		ID: "mot-cua", Version: 2,
		Title: survey.Text{"vi": "Đánh giá nhanh Một cửa", "en": "One-stop quick rating"},
		Questions: []survey.Question{
			{Code: "hai_long", Type: survey.Rating3, Text: survey.Text{"vi": "Ông/Bà có hài lòng không?", "en": "Are you satisfied?"}},
			{Code: "cong_chuc", Type: survey.Rating5, Index: "sipas:cong-chuc", Text: survey.Text{"vi": "Thái độ của cán bộ?", "en": "Staff manner?"}},
			{Code: "ly_do", Type: survey.Multi, Optional: true,
				ShowIf: &survey.Condition{Question: "hai_long", AnyOf: []string{"khl"}},
				Text:   survey.Text{"vi": "Vì sao chưa hài lòng?", "en": "Why not satisfied?"},
				Options: []survey.Option{
					{Code: "cho-lau", Label: survey.Text{"vi": "Chờ lâu", "en": "Long wait"}},
					{Code: "giay-to", Label: survey.Text{"vi": "Giấy tờ phức tạp", "en": "Complicated papers"}},
					{Code: "thai-do", Label: survey.Text{"vi": "Thái độ cán bộ", "en": "Staff manner"}},
				}},
			{Code: "lan_dau", Type: survey.YesNo, Text: survey.Text{"vi": "Lần đầu đến đây?", "en": "First time here?"}},
			{Code: "kenh", Type: survey.Single, Text: survey.Text{"vi": "Ông/Bà nộp hồ sơ qua đâu?", "en": "How did you file?"},
				Options: []survey.Option{
					{Code: "truc-tiep", Label: survey.Text{"vi": "Trực tiếp", "en": "In person"}},
					{Code: "truc-tuyen", Label: survey.Text{"vi": "Trực tuyến", "en": "Online"}},
				}},
			{Code: "gop_y", Type: survey.Comment, Optional: true, Text: survey.Text{"vi": "Góp ý thêm", "en": "Comments"}},
		},
	}
}

var t0 = time.Date(2026, 11, 24, 16, 59, 30, 0, time.UTC) // 23:59:30 in Hà Nội

// fixtureResponses covers: Vietnamese text, a comment that looks like a
// formula, commas, quotes and newlines in a comment, a multi answer, an
// abandoned and a flagged response, an outreach event, an answer to a
// question that no definition names, and a device with no known name.
func fixtureResponses() []*survey.Response {
	mk := func(i int, a survey.Answers) *survey.Response {
		return &survey.Response{
			ID:       fmt.Sprintf("019a0000-0000-7000-8000-%012d", i),
			SurveyID: "mot-cua", SurveyVersion: 2, Answers: a,
			StartedAt: t0.Add(time.Duration(i) * time.Minute), FinishedAt: t0.Add(time.Duration(i)*time.Minute + 42*time.Second),
			ServicePoint: "Phường Ba Đình", DeviceID: "kiosk-01", Lang: "vi", Status: survey.StatusComplete,
		}
	}
	rs := []*survey.Response{
		mk(0, survey.Answers{"hai_long": {"rhl"}, "cong_chuc": {"rhl"}, "lan_dau": {"yes"}, "kenh": {"truc-tiep"},
			"gop_y": {"Cán bộ rất nhiệt tình, chu đáo. Cảm ơn!"}}),
		mk(1, survey.Answers{"hai_long": {"khl"}, "cong_chuc": {"bt"}, "ly_do": {"cho-lau", "giay-to"}, "lan_dau": {"no"},
			"kenh": {"truc-tuyen"}, "gop_y": {"=HYPERLINK(\"http://x\",\"bấm\")"}}),
		mk(2, survey.Answers{"hai_long": {"hl"}, "cong_chuc": {"hl"}, "lan_dau": {"yes"},
			"gop_y": {"Dòng 1, có \"ngoặc kép\"\nDòng 2 – hết."}}),
		mk(3, survey.Answers{"hai_long": {"hl"}}),
		mk(4, survey.Answers{"hai_long": {"rhl"}, "cong_chuc": {"khl"}, "cau_cu": {"a", "b"}, "gop_y": {"-5 điểm @admin"}}),
	}
	rs[3].Status = survey.StatusAbandoned
	rs[3].FinishedAt = rs[3].StartedAt.Add(45 * time.Second)
	rs[1].Misuse, rs[1].MisuseReason = true, "quick-repeat"
	rs[2].Lang = "en"
	rs[2].Slip = "K7M2Q9XP4H" // given with a rating slip: exports say so, never the code
	rs[0].Slip = "R5T8W2N6J3" // a slip the hub found used before (fixtureSlipChannel)
	rs[4].ServicePoint, rs[4].EventTag, rs[4].Assisted = "Xã Sóc Sơn", "KCN Thăng Long – ca sáng", true
	rs[4].DeviceID = "kiosk-07" // a device the export has no name for
	return rs
}

func seqOf(rs []*survey.Response) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
