package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// slipCode returns a valid slip code in compact form made from seed.
func slipCode(t testing.TB, seed string) string {
	t.Helper()
	c, err := slip.New(strings.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c.Compact()
}

// TestSaveResponseSlip: a response saved with a slip keeps it, takes the
// slip, and a second response with the same slip is refused whole.
func TestSaveResponseSlip(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	code := slipCode(t, "abcdef")
	if used, err := s.SlipUsed(ctx, code); err != nil || used {
		t.Fatalf("SlipUsed before any save = %v, %v", used, err)
	}
	r := newResponse(t, 0)
	r.Slip = code
	mustSave(t, s, r)
	got, err := s.Response(ctx, r.ID)
	if err != nil || got.Slip != code {
		t.Fatalf("Response = %+v, %v; want slip %s", got, err, code)
	}
	if used, err := s.SlipUsed(ctx, code); err != nil || !used {
		t.Fatalf("SlipUsed after the save = %v, %v", used, err)
	}
	// Saving the same response again (a retry) is still a no-op.
	mustSave(t, s, r)

	again := newResponse(t, 1)
	again.Slip = code
	err = s.SaveResponse(ctx, again)
	if !errors.Is(err, store.ErrSlipUsed) || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second response with the slip: %v, want ErrSlipUsed", err)
	}
	if _, err := s.Response(ctx, again.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("refused response was stored: %v", err)
	}
	if hw, _ := s.HighWater(ctx); hw != 1 {
		t.Fatalf("high-water mark %d after a refused save, want 1: a number was used up", hw)
	}
	// The same answers with a different slip are a different content.
	changed := *r
	changed.Slip = slipCode(t, "ghijkl")
	if err := s.SaveResponse(ctx, &changed); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("same id with another slip: %v, want ErrConflict", err)
	}
	// Without a slip, nothing changes.
	plain := newResponse(t, 2)
	mustSave(t, s, plain)
	if got, _ := s.Response(ctx, plain.ID); got.Slip != "" {
		t.Fatalf("slip %q on a response without one", got.Slip)
	}
}

func TestSaveResponseSlipInvalid(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	code := slipCode(t, "abcdef")
	c, _ := slip.ParseCode(code)
	for name, bad := range map[string]string{
		"grouped":    c.String(),
		"lower case": strings.ToLower(code),
		"bad check":  code[:9] + map[bool]string{true: "1", false: "0"}[code[9] == '0'],
		"too short":  code[:8],
	} {
		t.Run(name, func(t *testing.T) {
			r := newResponse(t, 0)
			r.Slip = bad
			if err := s.SaveResponse(ctx, r); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("slip %q: %v, want ErrInvalid", bad, err)
			}
		})
	}
}

// TestSlipOutlivesPurge: a slip stays used after retention deleted its
// response.
func TestSlipOutlivesPurge(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := newResponse(t, 0)
	r.Slip = slipCode(t, "abcdef")
	mustSave(t, s, r, newResponse(t, 1))
	if err := s.MarkSynced(ctx, []string{r.ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteSynced(ctx, base.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("DeleteSynced = %d, %v", n, err)
	}
	if used, err := s.SlipUsed(ctx, r.Slip); err != nil || !used {
		t.Fatalf("SlipUsed after the purge = %v, %v", used, err)
	}
	again := newResponse(t, 2)
	again.Slip = r.Slip
	if err := s.SaveResponse(ctx, again); !errors.Is(err, store.ErrSlipUsed) {
		t.Fatalf("slip of a purged response taken again: %v", err)
	}
}
