package i18n

import (
	"encoding/json"
	"io/fs"
	"maps"
	"slices"
	"testing"

	"github.com/hailong-kiosk/hailong/assets"
)

// areaKeys reads the keys of assets/i18n/<area>/<lang>.json.
func areaKeys(t *testing.T, area, lang string) []string {
	t.Helper()
	data, err := fs.ReadFile(assets.I18n, "i18n/"+area+"/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s/%s.json: %v", area, lang, err)
	}
	return slices.Sorted(maps.Keys(m))
}

// TestEveryAreaComplete: every area folder has the same keys in every
// language, and every key gives a text (not the key) in every language.
func TestEveryAreaComplete(t *testing.T) {
	dirs, err := fs.ReadDir(assets.I18n, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	areas := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		areas++
		area := d.Name()
		t.Run(area, func(t *testing.T) {
			cat, err := Load(area, CountPlural())
			if err != nil {
				t.Fatal(err)
			}
			want := areaKeys(t, area, "vi")
			for _, lang := range Langs() {
				keys := areaKeys(t, area, lang)
				if !slices.Equal(keys, want) {
					t.Errorf("%s keys differ from vi: %v vs %v", lang, keys, want)
				}
				tr := cat.In(lang)
				for _, k := range keys {
					for _, n := range []int{1, 2} {
						if got := tr.T(k, map[string]any{"Count": n}); got == k || got == "" {
							// A flat message in English has no "one"
							// form; CountPlural documents that.
							if n == 1 && lang == "en" {
								continue
							}
							t.Errorf("%s: %s (Count %d) has no text", lang, k, n)
						}
					}
					if !tr.Has(k) {
						t.Errorf("%s: %s has no text", lang, k)
					}
				}
			}
		})
	}
	if areas < 5 {
		t.Fatalf("only %d areas under assets/i18n", areas)
	}
}

func TestTranslator(t *testing.T) {
	cat, err := Load("sync", CountPlural())
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.In("en")
	if tr.Lang() != "en" || tr.Other() != "vi" {
		t.Fatalf("lang %s, other %s", tr.Lang(), tr.Other())
	}
	one := tr.T("sync.status.pending", map[string]any{"Count": 1})
	two := tr.T("sync.status.pending", map[string]any{"Count": 2})
	if one == two || one == "sync.status.pending" || two == "sync.status.pending" {
		t.Errorf("plural forms: %q, %q", one, two)
	}
	if got := tr.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gives %q", got)
	}
	tr.SetLang("fr")
	if tr.Lang() != "vi" || tr.Other() != "en" {
		t.Errorf("unknown language selected %s", tr.Lang())
	}
	if vi := tr.T("sync.tab"); vi == "sync.tab" || vi == cat.In("en").T("sync.tab") {
		t.Errorf("vi sync.tab = %q", vi)
	}

	// Without CountPlural a Count is only template data: the "other" form.
	flat, err := New("sync", "en")
	if err != nil {
		t.Fatal(err)
	}
	if got := flat.T("sync.status.pending", map[string]any{"Count": 1}); got == one || got == "sync.status.pending" {
		t.Errorf("without plural: %q", got)
	}

	var none *Translator
	if none.T("sync.tab") != "sync.tab" || (&Translator{}).T("sync.tab") != "sync.tab" {
		t.Error("nil translator did not give the key back")
	}
	if _, err := Load("no-such-area"); err == nil {
		t.Error("missing area loaded")
	}
}

// TestOperatorCountOfOne guards the English operator panel's event count:
// the panel asks with plural forms, so a count of 1 needs a "one" form.
func TestOperatorCountOfOne(t *testing.T) {
	cat, err := Load("operator", CountPlural())
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs() {
		if got := cat.In(lang).T("operator.count.total", map[string]any{"Count": 1}); got != "1" {
			t.Errorf("%s: count of 1 shows %q", lang, got)
		}
	}
}

// TestShared: an area is loaded once and shared by callers on several
// goroutines (run with -race), each with its own Translator.
func TestShared(t *testing.T) {
	first, err := Shared("report")
	if err != nil {
		t.Fatal(err)
	}
	want := first.In("en").T("report.stats.nodata")
	if want == "report.stats.nodata" {
		t.Fatal("report.stats.nodata has no English text")
	}
	got := make(chan string, 8)
	for range cap(got) {
		go func() {
			c, err := Shared("report")
			if err != nil || c != first {
				got <- "another catalog"
				return
			}
			got <- c.In("en").T("report.stats.nodata")
		}()
	}
	for range cap(got) {
		if s := <-got; s != want {
			t.Errorf("shared catalog gave %q, want %q", s, want)
		}
	}
	if c, err := Shared("no-such-area"); err == nil || c.In("vi").T("x") != "x" {
		t.Errorf("missing area: %v, %v", c, err)
	}
}
