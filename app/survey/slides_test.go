package survey

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltinSlides(t *testing.T) {
	s, err := BuiltinSlides()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Slides) != 3 || len(s.Channels) != 2 {
		t.Fatalf("built-in set has %d slides and %d channels, want 3 and 2", len(s.Slides), len(s.Channels))
	}
	for i, sl := range s.Slides {
		if sl.Title["en"] == "" || sl.Text["en"] == "" {
			t.Errorf("slide %d has no English text", i)
		}
	}
	if s.Channels[1].Phone != "1022" {
		t.Errorf("hotline %q, want 1022", s.Channels[1].Phone)
	}
}

func TestParseSlides(t *testing.T) {
	const ok = `{"slides":[{"title":{"vi":"Tiêu đề"},"text":{"vi":"Nội dung"}}],"channels":[{"name":{"vi":"Đường dây nóng"},"phone":"1022"}]}`
	tests := []struct {
		name string
		in   string
		// rules are the problems' rules with their paths, "" for none.
		rules string
	}{
		{"valid", ok, ""},
		{"empty set", `{"slides":[],"channels":[]}`, ""},
		{"nfc and trimmed", "{\"slides\":[{\"title\":{\"vi\":\" Ho\u0300a \"},\"text\":{\"vi\":\"x\"}}]}", ""},
		{"empty file", ``, "empty@"},
		{"unknown field", `{"slides":[],"extra":1}`, "unknown_field@extra"},
		{"title missing", `{"slides":[{"text":{"vi":"x"}}]}`, "text_missing_vi@slides[0].title.vi"},
		{"text too long", `{"slides":[{"title":{"vi":"t"},"text":{"vi":"` + strings.Repeat("a", MaxSlideTextLen+1) + `"}}]}`, "text_too_long@slides[0].text.vi"},
		{"bad qr", `{"slides":[{"title":{"vi":"t"},"text":{"vi":"x"},"qr":{"url":"ftp://a","caption":{"vi":"c"}}}]}`, "qr_url@slides[0].qr.url"},
		{"bad image", `{"slides":[{"title":{"vi":"t"},"text":{"vi":"x"},"image":"abc"}]}`, "image_format@slides[0].image"},
		{"too many slides", `{"slides":[` + strings.Repeat(`{"title":{"vi":"t"},"text":{"vi":"x"}},`, MaxSlides) + `{"title":{"vi":"t"},"text":{"vi":"x"}}]}`, "too_many_slides@slides"},
		{"bad phone", `{"channels":[{"name":{"vi":"n"},"phone":"gọi 1022"}]}`, "phone@channels[0].phone"},
		{"short phone", `{"channels":[{"name":{"vi":"n"},"phone":"12"}]}`, "phone@channels[0].phone"},
		{"phone with separators", `{"channels":[{"name":{"vi":"n"},"phone":"+84 24.1022"}]}`, ""},
		{"channel url", `{"channels":[{"name":{"vi":"n"},"url":"https://a.vn/x"}]}`, ""},
		{"bad channel url", `{"channels":[{"name":{"vi":"n"},"url":"a.vn"}]}`, "qr_url@channels[0].url"},
		{"channel without name", `{"channels":[{"phone":"1022"}]}`, "text_missing_vi@channels[0].name.vi"},
		{"too many channels", `{"channels":[` + strings.Repeat(`{"name":{"vi":"n"}},`, MaxChannels) + `{"name":{"vi":"n"}}]}`, "too_many_channels@channels"},
		{"wrong type", `{"slides":{}}`, "wrong_type@slides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSlides([]byte(tt.in))
			var got []string
			var ps Problems
			if errors.As(err, &ps) {
				for _, p := range ps {
					if vi, en := p.Text("vi"), p.Text("en"); vi == "" || en == "" || vi == p.Key || en == p.Key || vi == en {
						t.Errorf("problem %s without a message in both languages", p.Rule)
					}
					got = append(got, p.Rule+"@"+p.Path)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, " ") != tt.rules {
				t.Fatalf("problems %q, want %q", got, tt.rules)
			}
			if err == nil && tt.name == "nfc and trimmed" && s.Slides[0].Title["vi"] != "H\u00f2a" {
				t.Errorf("title %q not normalised", s.Slides[0].Title["vi"])
			}
		})
	}
}
