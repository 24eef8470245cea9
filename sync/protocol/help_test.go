package protocol

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
)

func testHelp() HelpV1 {
	return HelpV1{
		ID: "01938a7e-0000-7000-8000-0000000000a1", Source: help.SurveySource("dich-vu-cong", 2), Lang: "vi",
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-1", CreatedAt: time.Date(2026, 12, 1, 2, 3, 4, 5e6, time.UTC),
	}
}

func resolved(r HelpV1) HelpV1 {
	r.Outcome, r.Reason, r.Note = string(help.NotPossible), string(help.ReasonNoAccount), "chưa có VNeID mức 2"
	r.ResolvedAt = r.CreatedAt.Add(9 * time.Minute)
	return r
}

func TestHelpCanonical(t *testing.T) {
	r := testHelp()
	want := `{"id":"01938a7e-0000-7000-8000-0000000000a1","source":"survey:dich-vu-cong@2","lang":"vi","service_point":"Phường Hoàn Kiếm","device_id":"dev-1","created_at":"2026-12-01T02:03:04.005Z","outcome":"","reason":"","note":"","resolved_at":null}`
	if got := string(HelpCanonical(&r)); got != want {
		t.Fatalf("open canonical\n got %s\nwant %s", got, want)
	}
	r = resolved(r)
	if got := string(HelpCanonical(&r)); !strings.HasSuffix(got, `"outcome":"not_possible","reason":"no_account","note":"chưa có VNeID mức 2","resolved_at":"2026-12-01T02:12:04.005Z"}`) {
		t.Fatalf("resolved canonical %s", got)
	}
}

func TestHelpSignVerify(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	r := resolved(testHelp())
	r.Note = "thie\u0302\u0301u gia\u0302\u0301y to\u031b\u0300"
	item, err := SignHelp(priv, r)
	if err != nil {
		t.Fatal(err)
	}
	if item.Request.Note != "thiếu giấy tờ" {
		t.Fatalf("signed note %q, want NFC", item.Request.Note)
	}
	if err := VerifyHelp(pub, item); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(*HelpItem){
		"outcome":  func(i *HelpItem) { i.Request.Outcome = string(help.Helped) },
		"reason":   func(i *HelpItem) { i.Request.Reason = string(help.ReasonLeft) },
		"note":     func(i *HelpItem) { i.Request.Note += "!" },
		"resolved": func(i *HelpItem) { i.Request.ResolvedAt = i.Request.ResolvedAt.Add(time.Millisecond) },
		"reopened": func(i *HelpItem) { i.Request.ResolvedAt = time.Time{} },
		"device":   func(i *HelpItem) { i.Request.DeviceID = "dev-2" },
		"point":    func(i *HelpItem) { i.Request.ServicePoint = "Phường Cửa Nam" },
	} {
		t.Run(name, func(t *testing.T) {
			changed := item
			change(&changed)
			if err := VerifyHelp(pub, changed); err == nil {
				t.Fatal("a changed request verifies")
			}
		})
	}
	// A feedback signature over the same bytes does not pass: domains differ.
	fake := item
	fake.Signature = ed25519.Sign(priv, append([]byte(feedbackDomain), HelpCanonical(&item.Request)...))
	if err := VerifyHelp(pub, fake); err == nil {
		t.Fatal("a signature under the feedback domain verifies as a help request")
	}
}

func TestCheckHelp(t *testing.T) {
	tests := []struct {
		name   string
		change func(*HelpV1)
		ok     bool
	}{
		{"open", func(*HelpV1) {}, true},
		{"resolved", func(r *HelpV1) { *r = resolved(*r) }, true},
		{"helped", func(r *HelpV1) { r.Outcome, r.ResolvedAt = string(help.Helped), r.CreatedAt.Add(time.Minute) }, true},
		{"not a uuid", func(r *HelpV1) { r.ID = "abc" }, false},
		{"upper-case uuid", func(r *HelpV1) { r.ID = strings.ToUpper(r.ID) }, false},
		{"no source", func(r *HelpV1) { r.Source = "" }, false},
		{"long point", func(r *HelpV1) { r.ServicePoint = strings.Repeat("x", MaxShortText+1) }, false},
		{"no time", func(r *HelpV1) { r.CreatedAt = time.Time{} }, false},
		{"outcome without time", func(r *HelpV1) { r.Outcome = string(help.Helped) }, false},
		{"not possible without reason", func(r *HelpV1) { *r = resolved(*r); r.Reason = "" }, false},
		{"open with a note", func(r *HelpV1) { r.Note = "x" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testHelp()
			tt.change(&r)
			if err := CheckHelp(&r); (err == nil) != tt.ok {
				t.Fatalf("CheckHelp = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestHelpBatchRoundTrip(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	open, _ := SignHelp(priv, testHelp())
	done, _ := SignHelp(priv, resolved(testHelp()))
	b := HelpBatch{Items: []HelpItem{open, done}}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data[:bytes.Index(data, []byte("},"))], []byte("resolved_at")) {
		t.Fatalf("an open request carries resolved_at: %s", data)
	}
	got, err := DecodeHelpBatch(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 || got.Items[0].Request.Resolved() || !got.Items[1].Request.ResolvedAt.Equal(done.Request.ResolvedAt) {
		t.Fatalf("decoded %+v", got.Items)
	}
	for name, body := range map[string]string{
		"empty":   `{"items":[]}`,
		"unknown": `{"items":[{"request":{"id":"x","extra":1},"signature":null}]}`,
		"no id":   `{"items":[{"request":{},"signature":null}]}`,
	} {
		if _, err := DecodeHelpBatch(strings.NewReader(body)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	if _, err := (&HelpBatch{}).Encode(); err == nil {
		t.Error("an empty batch encodes")
	}
}

func FuzzDecodeHelpBatch(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(nil)
	it, _ := SignHelp(priv, resolved(testHelp()))
	data, _ := (&HelpBatch{Items: []HelpItem{it}}).Encode()
	f.Add(data)
	f.Add([]byte(`{"items":[{"request":{"id":"a"},"signature":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeHelpBatch(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := range b.Items {
			r := b.Items[i].Request
			if CheckHelp(&r) != nil {
				continue
			}
			// A valid request's canonical form is stable under normalisation.
			c1 := HelpCanonical(&r)
			r.Normalize()
			if !bytes.Equal(c1, HelpCanonical(&r)) {
				t.Fatalf("canonical form changed by normalising a decoded request")
			}
		}
	})
}
