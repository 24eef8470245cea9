package main

import (
	"fmt"
	"io"

	"github.com/hailong-kiosk/hailong/app/i18n"
)

// say writes key's text of the hubcli area (assets/i18n/hubcli) to w in
// Vietnamese, then in English on its own line, as the hub's other
// messages read: the operator at the server may read either. args are
// name, value pairs; a "Count" picks the plural form. Usage and technical
// errors stay English and are not said here. The catalog is loaded once
// per Main.
func (m *Main) say(w io.Writer, key string, args ...any) {
	data := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		data[name] = args[i+1]
	}
	if m.texts == nil {
		cat, err := i18n.Load("hubcli", i18n.CountPlural())
		if err != nil { // embedded: only a broken build gets here
			fmt.Fprintln(w, key)
			return
		}
		m.texts = cat
	}
	vi, en := m.texts.In("vi").T(key, data), m.texts.In("en").T(key, data)
	if vi == en {
		fmt.Fprintln(w, en)
		return
	}
	fmt.Fprintf(w, "%s\n%s\n", vi, en)
}
