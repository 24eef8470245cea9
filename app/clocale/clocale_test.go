package clocale

import "testing"

func TestLanguageFor(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"LANG=C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, true},
		{"LANG=C.utf8", map[string]string{"LANG": "C.utf8"}, true},
		{"LANG=POSIX.UTF-8", map[string]string{"LANG": "POSIX.UTF-8"}, true},
		{"LC_ALL=C@euro", map[string]string{"LC_ALL": "C@euro"}, true},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "vi_VN.UTF-8"}, true},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "en_US.UTF-8"}, true},
		{"LC_ALL names a language", map[string]string{"LC_ALL": "vi_VN.UTF-8", "LANG": "C.UTF-8"}, false},
		{"LANGUAGE already set", map[string]string{"LANGUAGE": "vi", "LANG": "C.UTF-8"}, false},
		{"plain C is go-locale's", map[string]string{"LANG": "C"}, false},
		{"plain POSIX is go-locale's", map[string]string{"LC_ALL": "POSIX"}, false},
		{"a language", map[string]string{"LANG": "en_US.UTF-8"}, false},
		{"a language starting with C", map[string]string{"LANG": "Ca_ES.UTF-8"}, false},
		{"nothing set", map[string]string{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := languageFor(func(k string) string { return tc.env[k] })
			if ok != tc.want || (ok && v != "C") {
				t.Errorf("languageFor(%v) = %q, %v; want set=%v", tc.env, v, ok, tc.want)
			}
		})
	}
}
