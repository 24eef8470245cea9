package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// eachRawRow runs query on a connection of the read pool through the
// driver's own rows, reusing one slice of values from row to row, and
// calls fn with each row assigned to dest (assignRow). It stops at fn's
// first error and returns it as it is. The rows and the connection are
// released when it returns, also when fn panics. Streams of responses
// read this way: database/sql's Rows would lock, check and convert every
// column of every row once more after the driver.
func (s *Store) eachRawRow(ctx context.Context, query string, args []any, dest []any, fn func() error) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver %T cannot query", dc)
		}
		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		if n := len(rows.Columns()); n != len(dest) {
			return fmt.Errorf("query gives %d columns, want %d", n, len(dest))
		}
		vals := make([]driver.Value, len(dest))
		for {
			if err := rows.Next(vals); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			if err := assignRow(dest, vals); err != nil {
				return err
			}
			if err := fn(); err != nil {
				return err
			}
		}
	})
}

// assignRow stores vals in dest (*string, *int or *bool) as Scan would
// for the values of a STRICT table's TEXT and INTEGER columns, and gives
// an error for any other value.
func assignRow(dest []any, vals []driver.Value) error {
	for i, d := range dest {
		ok := false
		switch d := d.(type) {
		case *string:
			var v string
			v, ok = vals[i].(string)
			*d = v
		case *int:
			var v int64
			v, ok = vals[i].(int64)
			*d = int(v)
		case *bool:
			var v int64
			v, ok = vals[i].(int64)
			ok = ok && (v == 0 || v == 1)
			*d = v == 1
		}
		if !ok {
			return fmt.Errorf("column %d: cannot store %T in %T", i+1, vals[i], d)
		}
	}
	return nil
}
