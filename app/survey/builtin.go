package survey

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/hailong-kiosk/hailong/assets"
)

// Builtin loads the built-in surveys, every assets/surveys/*.json, through
// Parse, in file-name order. An error names the file and holds its
// Problems; two files with the same survey id are an error too.
func Builtin() ([]*Survey, error) {
	return LoadDir(assets.Surveys, "surveys")
}

// LoadDir parses every *.json file directly inside dir of fsys, in
// file-name order, and fails if any is invalid or two share a survey id.
func LoadDir(fsys fs.FS, dir string) ([]*Survey, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list surveys in %s: %w", dir, err)
	}
	var (
		out  []*Survey
		errs []error
		ids  = map[string]string{}
	)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("read survey %s: %w", name, err))
			continue
		}
		s, err := Parse(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("survey %s: %w", name, err))
			continue
		}
		if other, dup := ids[s.ID]; dup {
			errs = append(errs, fmt.Errorf("survey %s: id %q is already used by %s", name, s.ID, other))
			continue
		}
		ids[s.ID] = name
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
