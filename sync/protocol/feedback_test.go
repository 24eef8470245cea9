package protocol

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/feedback"
)

func testCase(t *testing.T) FeedbackV1 {
	t.Helper()
	code, err := feedback.NewCode(bytes.NewReader([]byte{9, 8, 7, 6, 5}))
	if err != nil {
		t.Fatal(err)
	}
	return FeedbackV1{
		ID: "01938a7e-0000-7000-8000-000000000001", Code: code.Compact(), Category: string(feedback.CategoryProcedure),
		Text: "Thủ tục còn rườm rà", Source: "welcome", Lang: "vi", ServicePoint: "Phường Hoàn Kiếm",
		DeviceID: "dev-1", CreatedAt: time.Date(2026, 12, 1, 2, 3, 4, 5e6, time.UTC),
	}
}

func TestFeedbackSignVerify(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	c := testCase(t)
	// NFD text signs and verifies as its NFC form.
	c.Text = "Thu\u0309 tu\u0323c"
	item, err := SignFeedback(priv, c)
	if err != nil {
		t.Fatal(err)
	}
	if item.Case.Text != "Thủ tục" {
		t.Fatalf("signed case text %q, want NFC", item.Case.Text)
	}
	if err := VerifyFeedback(pub, item); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(*FeedbackItem){
		"text":     func(i *FeedbackItem) { i.Case.Text += "!" },
		"category": func(i *FeedbackItem) { i.Case.Category = string(feedback.CategoryOther) },
		"code":     func(i *FeedbackItem) { i.Case.Code = "00000000" },
		"sealed":   func(i *FeedbackItem) { i.Case.Sealed = []byte{} },
		"device":   func(i *FeedbackItem) { i.Case.DeviceID = "dev-2" },
		"time":     func(i *FeedbackItem) { i.Case.CreatedAt = i.Case.CreatedAt.Add(time.Millisecond) },
	} {
		t.Run(name, func(t *testing.T) {
			changed := item
			change(&changed)
			if err := VerifyFeedback(pub, changed); err == nil {
				t.Fatal("a changed case verifies")
			}
		})
	}
	// A response signature over the same bytes does not pass: domains differ.
	fake := item
	fake.Signature = ed25519.Sign(priv, append([]byte(signingDomain), FeedbackCanonical(&item.Case)...))
	if err := VerifyFeedback(pub, fake); err == nil {
		t.Fatal("a signature under the response domain verifies as a case")
	}
}

func TestFeedbackCanonical(t *testing.T) {
	c := testCase(t)
	got := string(FeedbackCanonical(&c))
	want := `{"id":"01938a7e-0000-7000-8000-000000000001","code":"` + c.Code + `","category":"thu_tuc","text":"Thủ tục còn rườm rà","sealed":null,"source":"welcome","lang":"vi","service_point":"Phường Hoàn Kiếm","device_id":"dev-1","created_at":"2026-12-01T02:03:04.005Z"}`
	if got != want {
		t.Fatalf("canonical\n got %s\nwant %s", got, want)
	}
	c.Category, c.Text, c.Sealed = string(feedback.CategoryMisconduct), "", []byte{1, 2, 3}
	if got := string(FeedbackCanonical(&c)); !strings.Contains(got, `"text":"","sealed":"AQID"`) {
		t.Fatalf("sealed canonical %s", got)
	}
}

func TestCheckFeedback(t *testing.T) {
	pub, _, _ := feedback.NewInspectionKey(nil)
	sealed, _ := feedback.Seal(pub[:], "đòi tiền")
	for _, tc := range []struct {
		name   string
		change func(*FeedbackV1)
		ok     bool
	}{
		{"good", func(*FeedbackV1) {}, true},
		{"sealed misconduct", func(c *FeedbackV1) { c.Category, c.Text, c.Sealed = string(feedback.CategoryMisconduct), "", sealed }, true},
		{"misconduct in clear", func(c *FeedbackV1) { c.Category = string(feedback.CategoryMisconduct) }, false},
		{"misconduct both", func(c *FeedbackV1) { c.Category, c.Sealed = string(feedback.CategoryMisconduct), sealed }, false},
		{"open category sealed", func(c *FeedbackV1) { c.Text, c.Sealed = "", sealed }, false},
		{"bad id", func(c *FeedbackV1) { c.ID = "x" }, false},
		{"upper id", func(c *FeedbackV1) { c.ID = strings.ToUpper(c.ID) }, false},
		{"bad code", func(c *FeedbackV1) { c.Code = "ABCDEFGH" }, false},
		{"grouped code", func(c *FeedbackV1) { c.Code = c.Code[:4] + "-" + c.Code[4:] }, false},
		{"unknown category", func(c *FeedbackV1) { c.Category = "x" }, false},
		{"blank text", func(c *FeedbackV1) { c.Text = "  " }, false},
		{"long text", func(c *FeedbackV1) { c.Text = strings.Repeat("ả", feedback.MaxText+1) }, false},
		{"no source", func(c *FeedbackV1) { c.Source = "" }, false},
		{"no device", func(c *FeedbackV1) { c.DeviceID = "" }, false},
		{"no time", func(c *FeedbackV1) { c.CreatedAt = time.Time{} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testCase(t)
			tc.change(&c)
			err := CheckFeedback(&c)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckFeedback: %v, want ok %v", err, tc.ok)
			}
			var pe *Error
			if err != nil && (!errors.As(err, &pe) || pe.Code != CodeInvalid) {
				t.Fatalf("error %v is not CodeInvalid", err)
			}
		})
	}
}

func TestDecodeFeedbackBatch(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	item, _ := SignFeedback(priv, testCase(t))
	b := FeedbackBatch{Items: []FeedbackItem{item}}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeFeedbackBatch(bytes.NewReader(data))
	if err != nil || len(got.Items) != 1 || got.Items[0].Case.Code != item.Case.Code || !got.Items[0].Case.CreatedAt.Equal(item.Case.CreatedAt) {
		t.Fatalf("DecodeFeedbackBatch = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		name, body string
		code       string
	}{
		{"empty", `{"items":[]}`, CodeInvalid},
		{"unknown field", strings.Replace(string(data), `"lang"`, `"phone":"0912","lang"`, 1), CodeUnknownField},
		{"no id", `{"items":[{"case":{"id":""},"signature":null}]}`, CodeInvalid},
		{"trailing", string(data) + "{}", CodeMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeFeedbackBatch(strings.NewReader(tc.body))
			var pe *Error
			if !errors.As(err, &pe) || pe.Code != tc.code {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
		})
	}
}
