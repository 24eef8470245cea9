package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// finish answers every question of the active survey, the least satisfied
// face each time (so the comment question comes) and an NFD comment.
func (r *rig) finish() {
	r.t.Helper()
	r.start()
	for r.k.Question != nil {
		q := r.k.Question
		if q.Question.Type == survey.Comment {
			test.Type(q.Comment, "Cho\u031b\u0300 ho\u031bi la\u0302u") // NFD: the store saves NFC
		} else {
			r.choice(q.Choices[0].Code)
		}
		test.Tap(q.Next)
	}
	if r.k.Thanks == nil {
		r.t.Fatal("no thank-you screen")
	}
}

// The thank-you screen shows the receipt code of the response as it was
// saved, which is what the kiosk signs and the hub recomputes.
func TestThanksShowsReceipt(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.finish()
	saved := r.saved()
	if !strings.Contains(strings.Join(flatten(saved.Answers), " "), "Chờ hơi lâu") {
		t.Fatalf("the comment was not saved in NFC: %v", saved.Answers)
	}
	code, err := protocol.ReceiptOf(saved)
	if err != nil {
		t.Fatal(err)
	}
	if r.k.Thanks.Receipt == nil {
		t.Fatal("no receipt on the thank-you screen")
	}
	want := "Mã biên nhận: " + code.String() + " "
	if got := r.k.Thanks.Receipt.Text; !strings.HasPrefix(got, want) {
		t.Errorf("receipt %q, want it to begin %q", got, want)
	}
	if _, err := protocol.ParseReceipt(code.String()); err != nil {
		t.Errorf("shown code does not parse: %v", err)
	}
	test.Tap(r.k.Thanks.Done)

	// Enrolled with a hub that knows its public address: the line names
	// the page, without the scheme.
	r.receipts = "https://danhgia.phuong.vn/receipts"
	r.k.Home()
	r.finish()
	code, err = protocol.ReceiptOf(r.saved())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.k.Thanks.Receipt.Text, "Mã biên nhận: "+code.String()+" — tra cứu tại danhgia.phuong.vn/receipts"; got != want {
		t.Errorf("receipt %q, want %q", got, want)
	}
	test.Tap(r.k.Thanks.Done)
	// An address too long for the line: the line says where in words.
	r.receipts = "https://danhgia.phuong.vn/" + strings.Repeat("trang-tra-cuu-bien-nhan/", 8)
	r.k.Home()
	r.finish()
	if got := r.k.Thanks.Receipt.Text; !strings.HasSuffix(got, "(tra cứu trên trang công khai của trung tâm)") {
		t.Errorf("receipt with a long page address %q", got)
	}
	test.Tap(r.k.Thanks.Done)

	// A kiosk not enrolled yet shows none: its responses get their device
	// id, and so another code, only when they are sent.
	r.k.SetDeviceID("")
	r.finish()
	if r.k.Thanks.Receipt != nil {
		t.Errorf("unenrolled kiosk shows receipt %q", r.k.Thanks.Receipt.Text)
	}
}

func flatten(a survey.Answers) []string {
	var out []string
	for _, vs := range a {
		out = append(out, vs...)
	}
	return out
}
