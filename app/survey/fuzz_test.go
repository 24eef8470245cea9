package survey_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
)

// FuzzParse checks that Parse never panics, that every failure is a
// non-empty Problems with messages in both languages, and that every
// accepted survey is NFC, valid, and parses back to itself once encoded.
func FuzzParse(f *testing.F) {
	names, err := fs.Glob(assets.Surveys, "surveys/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(assets.Surveys, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Add([]byte(`{"id":"a","version":1,"title":{"vi":"x"},"questions":[{"code":"q","type":"yesno","text":{"vi":"?"}},{"code":"r","type":"single","text":{"vi":"?"},"options":[{"code":"a","label":{"vi":"A"}},{"code":"b","label":{"vi":"B"}}],"show_if":{"question":"q","any_of":["no"]}}]}`))
	f.Add([]byte(`{"id":"a","version":1,"title":{"vi":"x"},"questions":[{"code":"i","type":"info","title":{"vi":"T"},"text":{"vi":"a\nb"},"image":"` +
		survey.ImageDataURI(pngBytes(f, 32, 32)) + `","qr":{"url":"https://a.vn","caption":{"vi":"c"}}},{"code":"q","type":"yesno","text":{"vi":"?"}}]}`))
	f.Add([]byte(`{"id":"a","version":1e400}`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`))

	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := survey.Parse(data)
		if err != nil {
			var ps survey.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error is %T, not Problems: %v", err, err)
			}
			if len(ps) == 0 {
				t.Fatal("empty Problems")
			}
			for _, p := range ps {
				if p.Text("vi") == "" || p.Text("en") == "" || p.Rule == "" {
					t.Fatalf("incomplete problem %+v", p)
				}
			}
			if s != nil {
				t.Fatal("survey returned with an error")
			}
			return
		}
		if err := survey.Validate(s); err != nil {
			t.Fatalf("Parse accepted what Validate rejects: %v", err)
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		s2, err := survey.Parse(again)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", again, err)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip changed the survey:\n%+v\n%+v", s, s2)
		}
	})
}
