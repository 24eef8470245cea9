package hub_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// webResp is a phone answer to the quick survey, as the page builds it.
func webResp(t *testing.T) *survey.Response {
	r := resp(t)
	r.ServicePoint, r.DeviceID = "", ""
	return r
}

// TestSubmitWebAnswer: a phone answer is stored once as a response of the
// web device from the slip's service point, with the slip, signed so that
// the chain verifies; the slip is then refused on a phone and flagged at a
// kiosk; a slip used at a kiosk, an unknown code and invalid answers are
// refused, the last using nothing.
func TestSubmitWebAnswer(t *testing.T) {
	s, d := setup(t)
	ctx := context.Background()
	printed, err := s.Hub.IssueSlips(ctx, "Xã Sóc Sơn", 4)
	if err != nil {
		t.Fatal(err)
	}
	r := webResp(t)
	got, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: printed[0].Code, Response: r})
	if err != nil {
		t.Fatal(err)
	}
	if got.Again {
		t.Error("a first answer says it was stored already")
	}
	stored, err := s.Store.Response(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.DeviceID != hub.WebDeviceID || stored.ServicePoint != "Xã Sóc Sơn" || stored.Slip != printed[0].Code.Compact() {
		t.Errorf("stored %+v; want the web device, the slip's point and the slip", stored)
	}
	if days, err := s.Store.ReceiptDays(ctx, got.Receipt); err != nil || len(days) != 1 {
		t.Errorf("ReceiptDays = %v, %v; want one day", days, err)
	}
	if _, st, _ := s.Store.ResponseSlip(ctx, r.ID); st != hub.SlipFirst {
		t.Errorf("slip status %q, want first", st)
	}
	dev, err := s.Store.Device(ctx, hub.WebDeviceID)
	if err != nil || dev.State() != "active" {
		t.Fatalf("web device %+v, %v", dev, err)
	}
	rep, err := hub.VerifyChain(ctx, s.Store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != nil {
		t.Errorf("chain after a phone answer: %+v", rep)
	}

	// Sent again with the same id (a retry): stored once, said so.
	again := *r
	again.FinishedAt = again.FinishedAt.Add(time.Minute)
	if got2, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: printed[0].Code, Response: &again}); err != nil || !got2.Again || got2.Receipt != got.Receipt {
		t.Errorf("retry = %+v, %v; want stored already, receipt %s", got2, err, got.Receipt)
	}
	// Another answer with the same slip: refused.
	if _, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: printed[0].Code, Response: webResp(t)}); !errors.Is(err, hub.ErrSlipUsed) {
		t.Errorf("second use: %v, want ErrSlipUsed", err)
	}
	// The same slip at a kiosk afterwards: stored, flagged reused.
	kr := resp(t)
	kr.DeviceID, kr.ServicePoint = d.ID, "Xã Sóc Sơn"
	it, err := protocol.SignV3(d.Key, kr, 1, printed[0].Code.Compact())
	if err != nil {
		t.Fatal(err)
	}
	if res := upload(t, s, d, it); res[0].Outcome != protocol.Accepted {
		t.Fatalf("kiosk upload %+v", res[0])
	}
	if _, st, _ := s.Store.ResponseSlip(ctx, kr.ID); st != hub.SlipReused {
		t.Errorf("kiosk use after the phone: %q, want reused", st)
	}
	// A slip used at a kiosk first: refused on the phone.
	kr2 := resp(t)
	kr2.DeviceID, kr2.ServicePoint = d.ID, "Xã Sóc Sơn"
	it, err = protocol.SignV3(d.Key, kr2, 2, printed[1].Code.Compact())
	if err != nil {
		t.Fatal(err)
	}
	upload(t, s, d, it)
	if _, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: printed[1].Code, Response: webResp(t)}); !errors.Is(err, hub.ErrSlipUsed) {
		t.Errorf("slip used at a kiosk: %v, want ErrSlipUsed", err)
	}
	if _, _, err := s.Hub.WebSlip(ctx, printed[1].Code); !errors.Is(err, hub.ErrSlipUsed) {
		t.Errorf("WebSlip of a used slip: %v", err)
	}
	// Invalid answers: refused, the slip stays unused.
	bad := webResp(t)
	bad.Answers["q1"] = []string{"nope"}
	if _, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: printed[2].Code, Response: bad}); !errors.Is(err, hub.ErrWebAnswers) {
		t.Errorf("invalid answers: %v, want ErrWebAnswers", err)
	}
	if sl, err := s.Store.Slip(ctx, printed[2].Code); err != nil || sl.UsedBy != "" {
		t.Errorf("invalid answers used the slip: %+v, %v", sl, err)
	}
	// A code never printed.
	never, err := slip.New(strings.NewReader("zzzzzz"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: never, Response: webResp(t)}); !errors.Is(err, hub.ErrSlipNotPrinted) {
		t.Errorf("unknown slip: %v, want ErrSlipNotPrinted", err)
	}
	// The figures count the phone answer at home.
	cells := map[string]int{}
	for c, err := range s.Store.Figures(ctx, hub.Filter{ServicePoint: "Xã Sóc Sơn"}) {
		if err != nil {
			t.Fatal(err)
		}
		for ch, n := range c.Slips {
			cells[ch] += n.N
		}
	}
	if cells[hub.ChannelHome] != 1 || cells[hub.ChannelDesk] != 1 || cells[hub.ChannelFlagged] != 1 {
		t.Errorf("slip channels %v; want one at home, one at the desk, one flagged", cells)
	}
	// Revoked, the web device closes the page.
	if err := s.Hub.RevokeDevice(ctx, hub.WebDeviceID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hub.SubmitWebAnswer(ctx, hub.WebAnswer{Code: printed[3].Code, Response: webResp(t)}); !errors.Is(err, hub.ErrWebClosed) {
		t.Errorf("after revoking: %v, want ErrWebClosed", err)
	}
}

// TestWebSurvey: the phone page shows, of the newest versions published,
// a survey that asks for slips; of several, the one most answered at the
// slip's point; with none asking for slips, the one most answered there.
func TestWebSurvey(t *testing.T) {
	s := hubtest.Start(t)
	ctx := context.Background()
	pub := func(id string, slip string) {
		raw := `{"id":"` + id + `","version":1,` + slip + `"title":{"vi":"` + id + `"},"questions":[{"code":"q1","type":"rating3","text":{"vi":"Hài lòng?"}}]}`
		s.Publish(t, []byte(raw))
	}
	answer := func(id, point string, n int) {
		for range n {
			r := resp(t)
			r.SurveyID, r.ServicePoint, r.DeviceID = id, point, "dev-x"
			r.Answers = survey.Answers{"q1": {"hl"}}
			in, err := hub.NewIncoming(&survey.Survey{ID: id, Version: 1, Questions: []survey.Question{{Code: "q1", Type: survey.Rating3}}}, r, []byte("sig"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Store.Ingest(ctx, []hub.Incoming{in}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	chosen := func(point string) string {
		t.Helper()
		sv, err := s.Hub.WebSurvey(ctx, point)
		if err != nil {
			t.Fatal(err)
		}
		return sv.ID
	}
	if _, err := s.Hub.WebSurvey(ctx, "Phường Hoàn Kiếm"); !errors.Is(err, hub.ErrNoWebSurvey) {
		t.Errorf("no survey published: %v", err)
	}
	pub("a", "")
	pub("b", "")
	answer("b", "Phường Hoàn Kiếm", 2)
	if got := chosen("Phường Hoàn Kiếm"); got != "b" {
		t.Errorf("no slip survey, b answered at the point: %s", got)
	}
	if got := chosen("Xã Sóc Sơn"); got != "a" {
		t.Errorf("no slip survey, nothing answered at the point: %s, want the first id", got)
	}
	pub("c", `"slip":"optional",`)
	pub("d", `"slip":"required",`)
	answer("d", "Xã Sóc Sơn", 1)
	if got := chosen("Phường Hoàn Kiếm"); got != "c" {
		t.Errorf("slip surveys, neither answered at the point: %s, want c", got)
	}
	if got := chosen("Xã Sóc Sơn"); got != "d" {
		t.Errorf("slip surveys, d answered at the point: %s", got)
	}
}
