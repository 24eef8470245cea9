package hub_test

import (
	"context"
	"iter"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

func auditChain(actors ...string) []hub.AuditEntry {
	var out []hub.AuditEntry
	var head *hub.AuditEntry
	for i, a := range actors {
		e := hub.NextAuditEntry(head, hub.NewAuditEntry(time.Date(2026, 11, 25, 1, i, 0, 0, time.UTC), a, hub.AuditLogin, "192.0.2.1", url.Values{}))
		out = append(out, e)
		head = &out[len(out)-1]
	}
	return out
}

func seqOf(es []hub.AuditEntry) iter.Seq2[hub.AuditEntry, error] {
	return func(yield func(hub.AuditEntry, error) bool) {
		for _, e := range es {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// TestVerifyAuditAgainstNotedHeads: a log rewritten from scratch holds by
// itself, and only a head noted earlier shows it; so does a log whose
// newest entries were cut off.
func TestVerifyAuditAgainstNotedHeads(t *testing.T) {
	orig := auditChain("an", "bình", "chi", "dũng")
	noted := map[int64][32]byte{3: orig[2].Hash}
	rewritten := auditChain("an", "bình", "kẻ khác", "dũng")
	tests := []struct {
		name    string
		entries []hub.AuditEntry
		noted   map[int64][32]byte
		seq     int64 // 0: holds
		reason  string
	}{
		{"untouched, with a noted head", orig, noted, 0, ""},
		{"rewritten, nothing noted", rewritten, nil, 0, ""},
		{"rewritten, head noted", rewritten, noted, 3, "noted earlier"},
		{"newest cut off", orig[:2], noted, 3, "the newest entries were removed"},
		{"one deleted", append(append([]hub.AuditEntry{}, orig[:1]...), orig[2:]...), nil, 3, "entries 2 to 2 are missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := hub.VerifyAudit(context.Background(), nil, seqOf(tt.entries), tt.noted)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.seq == 0 && rep.Break != nil:
				t.Errorf("break %v, want none", rep.Break)
			case tt.seq != 0 && (rep.Break == nil || rep.Break.Seq != tt.seq || !strings.Contains(rep.Break.Reason, tt.reason)):
				t.Errorf("break %+v, want at %d with %q", rep.Break, tt.seq, tt.reason)
			}
		})
	}
}

func TestParseAuditHead(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for _, tt := range []struct {
		in string
		ok bool
	}{{"7:" + h, true}, {" 7:" + h + "\n", true}, {"0:" + h, false}, {"7", false}, {"x:" + h, false}, {"7:" + h[:62], false}, {"7:" + h[:62] + "zz", false}} {
		seq, _, err := hub.ParseAuditHead(tt.in)
		if (err == nil) != tt.ok || (tt.ok && seq != 7) {
			t.Errorf("ParseAuditHead(%q) = %d, %v; want ok=%v", tt.in, seq, err, tt.ok)
		}
	}
}
