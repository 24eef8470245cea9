package hub_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// FuzzWebhookInput: what an admin types for a webhook (its URL and kinds)
// never panics; what is accepted reads back the same, and a signature
// made over a body verifies only that body.
func FuzzWebhookInput(f *testing.F) {
	f.Add("https://nhận.example/hook?x=1", "alert, responses", []byte(`{"id":"evt-1"}`))
	f.Add("http://127.0.0.1:9/", "help_request,,alert", []byte{})
	f.Add("javascript:alert(1)", "nope", []byte("x"))
	f.Fuzz(func(t *testing.T, rawURL, kinds string, body []byte) {
		ks, kerr := hub.ParseEventKinds(kinds)
		if kerr == nil {
			again, err := hub.ParseEventKinds(hub.KindList(ks))
			if err != nil || hub.KindList(again) != hub.KindList(ks) {
				t.Fatalf("kinds %q read as %v, then %v, %v", kinds, ks, again, err)
			}
		}
		u, uerr := hub.CheckWebhookURL(rawURL)
		if uerr == nil && kerr == nil {
			w, err := hub.NewWebhook(u, ks, "fuzz", time.Unix(0, 0))
			if err != nil {
				t.Fatalf("NewWebhook(%q, %v): %v", u, ks, err)
			}
			now := time.Unix(1_800_000_000, 0)
			h := http.Header{}
			h.Set(hub.HeaderTimestamp, "1800000000")
			h.Set(hub.HeaderSignature, hub.SignWebhook(w.Secret, now.Unix(), body))
			if err := hub.VerifyWebhook(w.Secret, h, body, now, time.Minute); err != nil {
				t.Fatalf("own signature refused: %v", err)
			}
			if err := hub.VerifyWebhook(w.Secret, h, append(body, 'x'), now, time.Minute); err == nil {
				t.Fatal("a changed body verified")
			}
		}
	})
}
