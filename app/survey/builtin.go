package survey

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"

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
// Parse, in file-name order. Several versions of one survey may be built
// in (sipas 1 and 2): the kiosk runs the newest (Newest) and keeps the
// older ones to read the answers given to them. An error names the file and
// holds its Problems; two files with the same id and version, or a version
// that CheckUpgrade refuses after the one before it, are errors too.
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
// file-name order, and fails if any is invalid, two share a survey id and
// version, or a version does not upgrade the one before it (CheckUpgrade).
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
		ids  = map[idVersion]string{}
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
		k := idVersion{s.ID, s.Version}
		if other, dup := ids[k]; dup {
			errs = append(errs, fmt.Errorf("survey %s: id %q version %d is already in %s", name, s.ID, s.Version, other))
			continue
		}
		ids[k] = name
		out = append(out, Definition{Name: name, Raw: data, Survey: s})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Each version must be a valid upgrade of the next older one.
	byVersion := slices.Clone(out)
	slices.SortFunc(byVersion, func(a, b Definition) int {
		return cmp.Or(cmp.Compare(a.Survey.ID, b.Survey.ID), cmp.Compare(a.Survey.Version, b.Survey.Version))
	})
	for i := 1; i < len(byVersion); i++ {
		prev, next := byVersion[i-1], byVersion[i]
		if prev.Survey.ID != next.Survey.ID {
			continue
		}
		if err := CheckUpgrade(prev.Survey, next.Survey); err != nil {
			errs = append(errs, fmt.Errorf("survey %s as a new version of %s: %w", next.Name, prev.Name, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

type idVersion struct {
	id      string
	version int
}

// Newest returns the newest version of each survey in defs, in the order
// of their ids' first appearance: what a kiosk offers.
func Newest(defs []*Survey) []*Survey {
	var out []*Survey
	at := map[string]int{}
	for _, s := range defs {
		if s == nil {
			continue
		}
		i, seen := at[s.ID]
		switch {
		case !seen:
			at[s.ID] = len(out)
			out = append(out, s)
		case s.Version > out[i].Version:
			out[i] = s
		}
	}
	return out
}
