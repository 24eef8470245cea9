package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// surveyPublishCommand is `hailong-hub survey publish FILE.json|FORM.xlsx`:
// a workbook is read as XLSForm (app/xlsform) first.
type surveyPublishCommand struct{ path string }

func (c *surveyPublishCommand) flags(*flag.FlagSet) {}

func (c *surveyPublishCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.path = args[0]
	return nil
}

func (c *surveyPublishCommand) checkInput() error {
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("read survey: %w", err)
	}
	return f.Close()
}

func (c *surveyPublishCommand) run(ctx context.Context, m *Main) error {
	raw, err := os.ReadFile(c.path)
	if err != nil {
		return fmt.Errorf("read survey: %w", err)
	}
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		// Note rows' pictures are files beside the workbook.
		_, def, err := xlsform.ImportMedia(bytes.NewReader(raw), os.DirFS(filepath.Dir(c.path)))
		var xps xlsform.Problems
		if errors.As(err, &xps) {
			for _, p := range xps {
				fmt.Fprintf(m.Stderr, "%s: %s\n%s: %s\n", c.path, p.Text("vi"), c.path, p.Text("en"))
			}
			return fmt.Errorf("%s is not a form the kiosk can ask (%d problems)", c.path, len(xps))
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", c.path, err)
		}
		raw = def
	}
	s, err := m.hub.PublishSurvey(ctx, raw)
	if err != nil {
		var ps survey.Problems
		if errors.As(err, &ps) {
			for _, line := range ps.Describe("en") {
				fmt.Fprintf(m.Stderr, "%s: %s\n", c.path, line)
			}
			return fmt.Errorf("%s is not a valid survey (%d problems)", c.path, len(ps))
		}
		if errors.Is(err, hub.ErrConflict) {
			return fmt.Errorf("%s: %w; give the changed survey a new version number", c.path, err)
		}
		return err
	}
	if err := m.audit(ctx, hub.AuditSurveyPublish, url.Values{"id": {s.ID}, "version": {strconv.Itoa(s.Version)}}); err != nil {
		return err
	}
	// Vietnamese first, English after, as device enroll prints.
	fmt.Fprintf(m.Stdout, "Đã công bố khảo sát %s phiên bản %d. Các kiosk nhận nó ở lần đồng bộ tới (trong vòng vài phút).\n", s.ID, s.Version)
	fmt.Fprintf(m.Stdout, "Published %s version %d. Kiosks pick it up at their next survey check (within minutes).\n", s.ID, s.Version)
	return nil
}
