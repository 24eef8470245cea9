package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Kinds of file errors, for errors.Is. The kiosk shows each with its own
// message to staff.
var (
	// ErrDiskFull: no space left on the disk or stick (ENOSPC, quota).
	ErrDiskFull = errors.New("the disk is full")
	// ErrReadOnly: the disk or stick is read-only (EROFS, write-protect switch).
	ErrReadOnly = errors.New("the disk is read-only")
	// ErrDeviceGone: the device stopped answering, typically a USB stick
	// pulled out while writing (EIO, ENODEV, ENXIO).
	ErrDeviceGone = errors.New("the disk stopped responding (removed?)")
	// ErrNoFolder: the folder does not exist (any more).
	ErrNoFolder = errors.New("the folder does not exist")
	// ErrPermission: the user may not write in the folder.
	ErrPermission = errors.New("no permission to write in the folder")
)

// FileError is a failed write of an export file. Kind is one of the Err*
// values above, or nil when the cause is not a known file-system condition
// (for example the response store failing). The half-written file has
// already been removed when a FileError is returned.
type FileError struct {
	// Op is what failed: "create", "write", "sync", "close", "rename".
	Op string
	// Path is the file that was being written.
	Path string
	// Kind classifies the cause, or is nil.
	Kind error
	// Err is the underlying error.
	Err error
}

func (e *FileError) Error() string {
	if e.Kind != nil {
		return fmt.Sprintf("export to %s: %v; nothing was kept (%s: %v)", e.Path, e.Kind, e.Op, e.Err)
	}
	return fmt.Sprintf("export to %s: nothing was kept: %s: %v", e.Path, e.Op, e.Err)
}

// Unwrap gives both the kind and the cause to errors.Is and errors.As.
func (e *FileError) Unwrap() []error {
	if e.Kind == nil {
		return []error{e.Err}
	}
	return []error{e.Kind, e.Err}
}

// classify wraps err from operation op on path into a FileError.
func classify(op, path string, err error) *FileError {
	return &FileError{Op: op, Path: path, Kind: kindOf(err), Err: err}
}

func kindOf(err error) error {
	switch {
	case isDiskFull(err):
		return ErrDiskFull
	case isReadOnly(err):
		return ErrReadOnly
	case isDeviceGone(err):
		return ErrDeviceGone
	case errors.Is(err, fs.ErrNotExist):
		return ErrNoFolder
	case errors.Is(err, fs.ErrPermission):
		return ErrPermission
	}
	return nil
}

// ToFile writes rows to path in the given format and returns how many
// responses it wrote. It writes to a hidden temporary file in the same
// folder, syncs it to the device, then renames it over path, so path is
// either the complete export or untouched. On any error, including ctx being
// cancelled, the temporary file is removed and a *FileError says what
// happened (errors.Is(err, ErrDiskFull) and so on).
func ToFile(ctx context.Context, path string, format Format, rows iter.Seq2[*survey.Response, error], opt Options) (n int, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := createTemp(dir, base)
	if err != nil {
		return 0, classify("create", path, err)
	}
	op := "write"
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			var fe *FileError
			if !errors.As(err, &fe) {
				err = classify(op, path, err)
			}
		}
	}()
	if n, err = Write(ctx, tmp, format, rows, opt); err != nil {
		return n, err
	}
	op = "sync"
	if err = tmp.Sync(); err != nil {
		return n, err
	}
	op = "close"
	if err = tmp.Close(); err != nil {
		return n, err
	}
	op = "rename"
	if err = os.Rename(tmp.Name(), path); err != nil {
		return n, err
	}
	syncDir(dir)
	return n, nil
}

// FileMode is the permission an export file is created with, before the
// umask: readable by everyone, like any document saved by an office
// program, so that another account (the admin's, a file share) can open
// it. On FAT and exFAT sticks the mount options decide instead.
const FileMode fs.FileMode = 0o644

// createTemp creates a new hidden file ".<base>.<random>.part" in dir with
// FileMode (os.CreateTemp would make it 0600).
func createTemp(dir, base string) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".part")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}

// syncDir makes the rename durable where the platform allows it; a failure
// here loses nothing already written, so it is ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
