package survey

import "testing"

func TestHasOptionMatchesOptionsOf(t *testing.T) {
	codes := []string{CodeVerySatisfied, CodeSatisfied, CodeNeutral, CodeNotSatisfied, CodeVeryDissatisfied,
		CodeYes, CodeNo, "a", "b", "", "Rat-hai-long"}
	for _, q := range []Question{
		{Type: Rating3}, {Type: Rating5}, {Type: YesNo},
		{Type: Single, Options: []Option{{Code: "a"}, {Code: CodeYes}}},
		{Type: Multi, Options: []Option{{Code: "b"}}},
		{Type: Comment},
	} {
		for _, c := range codes {
			want := false
			for _, o := range q.OptionsOf() {
				if o.Code == c {
					want = true
				}
			}
			if got := q.HasOption(c); got != want {
				t.Errorf("%s question: HasOption(%q) = %v, want %v", q.Type, c, got, want)
			}
		}
	}
}
