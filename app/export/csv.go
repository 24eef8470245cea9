package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"iter"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// BOM is the UTF-8 byte order mark that starts every CSV file, so that
// Excel reads the file as UTF-8 and shows Vietnamese diacritics.
const BOM = "\ufeff"

// WriteCSV writes one header row and one row per response: the fixed
// columns, one column per question code (and a label column per choice
// question when opt.Labels), then OtherColumn. The file starts with a UTF-8
// BOM, fields are separated by commas, lines end in CRLF (RFC 4180). It
// returns the number of responses written.
func WriteCSV(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error], opt Options) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(BOM); err != nil {
		return 0, fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	l := newLayout(opt)
	if err := cw.Write(l.header); err != nil {
		return 0, fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(l.header))
	n, err := each(ctx, rows, opt, func(r *survey.Response) error {
		l.row(r, rec)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("write csv: %w", err)
	}
	return n, nil
}
