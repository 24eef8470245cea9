package survey

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/hailong-kiosk/hailong/assets"
)

// Definition is one survey file: its bytes exactly as read, which are what
// a hub publishes and a kiosk stores, and the survey they parse to.
type Definition struct {
	// Name is the file's path inside its file system, e.g. "surveys/sipas.json".
	Name string
	// Raw is the file's content.
	Raw []byte
	// Survey is Raw parsed by Parse.
	Survey *Survey
}

// Builtin loads the built-in surveys, every assets/surveys/*.json, through
// Parse, in file-name order. An error names the file and holds its
// Problems; two files with the same survey id are an error too.
func Builtin() ([]*Survey, error) {
	return LoadDir(assets.Surveys, "surveys")
}

// BuiltinDefinitions is Builtin with each survey's file bytes: the kiosk
// runs these surveys out of the box, and a hub publishes the same bytes so
// that it accepts their responses from its first start.
func BuiltinDefinitions() ([]Definition, error) {
	return loadDefinitions(assets.Surveys, "surveys")
}

// LoadDir parses every *.json file directly inside dir of fsys, in
// file-name order, and fails if any is invalid or two share a survey id.
func LoadDir(fsys fs.FS, dir string) ([]*Survey, error) {
	defs, err := loadDefinitions(fsys, dir)
	if err != nil {
		return nil, err
	}
	out := make([]*Survey, len(defs))
	for i, d := range defs {
		out[i] = d.Survey
	}
	return out, nil
}

func loadDefinitions(fsys fs.FS, dir string) ([]Definition, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list surveys in %s: %w", dir, err)
	}
	var (
		out  []Definition
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
		out = append(out, Definition{Name: name, Raw: data, Survey: s})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
