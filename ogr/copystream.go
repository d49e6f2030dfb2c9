package ogr

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb/encoding/ewkb"

	"github.com/parkplan/parkplan/planner/dataset"
)

// The binary stream (StreamFeatures): ogr2ogr writes the layer as a
// PostgreSQL dump — the rows of one COPY, geometries as hex EWKB — the
// same bytes it sends a PostGIS server when it loads the layer, so GDAL
// formats no coordinate as text and parkplan parses none.
const (
	// copyGeomColumn and copyFIDColumn name the dump's geometry and FID
	// columns (a source's own columns keep their names: LAUNDER=NO).
	copyGeomColumn = "parkplan_geom"
	copyFIDColumn  = "parkplan_fid"
	// copyBatch is how many decoded features go over the channel at once.
	copyBatch = 256
)

// BinaryFields reports whether every column of l has a type the binary
// stream renders as the GeoJSON stream does (strings, integers, reals,
// booleans); lists, dates, binary and JSON columns take the GeoJSON stream.
func BinaryFields(l Layer) bool {
	for _, f := range l.Fields {
		if _, ok := copyKind(f.Type); !ok {
			return false
		}
	}
	return true
}

// copyValueKind is how a column's COPY text becomes a JSON value.
type copyValueKind int

const (
	copyString copyValueKind = iota
	copyNumber
	copyBool
)

func copyKind(gdalType string) (copyValueKind, bool) {
	switch gdalType {
	case "String":
		return copyString, true
	case "Integer", "Integer64", "Integer(Int16)", "Real", "Real(Float32)":
		return copyNumber, true
	case "Integer(Boolean)", "Integer64(Boolean)":
		return copyBool, true
	}
	return 0, false
}

// StreamFeatures starts ogr2ogr writing layer l of the source at path as
// a PostgreSQL dump on a pipe and decodes its rows in a goroutine of
// their own (beside the validator that reads them): columns as JSON
// values by the types ogrinfo gave (BinaryFields must hold), geometries
// from EWKB in the layer's own CRS, 2D, curves linearised (as GDAL's
// GeoJSON writer does). Close stops ogr2ogr if the stream was not read to
// its end; a failed run's error carries GDAL's message.
func StreamFeatures(ctx context.Context, path string, l Layer, openOptions ...string) (dataset.FeatureStream, error) {
	kinds := map[string]copyValueKind{}
	for _, f := range l.Fields {
		k, ok := copyKind(f.Type)
		if !ok {
			return nil, fmt.Errorf("%s, layer %s: column %s of type %s has no binary form here", path, l.Name, f.Name, f.Type)
		}
		kinds[f.Name] = k
	}
	args := []string{"-f", "PGDump", "--config", "PG_USE_COPY", "YES",
		"-lco", "CREATE_TABLE=OFF", "-lco", "CREATE_SCHEMA=OFF", "-lco", "SPATIAL_INDEX=NONE", "-lco", "LAUNDER=NO",
		"-lco", "GEOMETRY_NAME=" + copyGeomColumn, "-lco", "FID=" + copyFIDColumn,
		"-dim", "XY", "-nlt", "GEOMETRY", "-nlt", "CONVERT_TO_LINEAR"}
	for _, o := range openOptions {
		args = append(args, "-oo", o)
	}
	args = append(args, "/vsistdout/", path, l.Name)
	s := &copyStream{what: fmt.Sprintf("ogr2ogr %s %s", path, l.Name), batches: make(chan copyBatchOf, 4), done: make(chan struct{}), kinds: kinds}
	cmd, stdout, cancel, err := startOgr2ogr(ctx, args, &s.stderr, s.what)
	if err != nil {
		return nil, err
	}
	s.cmd, s.cancel = cmd, cancel
	s.wg.Add(1)
	go s.decode(stdout, s.done)
	return s, nil
}

// copyBatchOf is decoded features, or the error that ended the decoding.
type copyBatchOf struct {
	features []*dataset.SourceFeature
	err      error
}

type copyStream struct {
	cmd     *exec.Cmd
	cancel  context.CancelFunc
	stderr  bytes.Buffer
	what    string
	kinds   map[string]copyValueKind
	batches chan copyBatchOf
	done    chan struct{} // closed by Close: the decoder stops sending
	wg      sync.WaitGroup

	cur  []*dataset.SourceFeature
	eof  bool
	err  error
	once sync.Once
	cerr error
}

// Next returns the next decoded feature.
func (s *copyStream) Next() (*dataset.SourceFeature, error) {
	for len(s.cur) == 0 {
		if s.eof || s.err != nil {
			if s.err != nil {
				return nil, s.err
			}
			return nil, io.EOF
		}
		b, ok := <-s.batches
		switch {
		case !ok:
			s.eof = true
		case b.err != nil:
			s.err = b.err
		default:
			s.cur = b.features
		}
	}
	f := s.cur[0]
	s.cur = s.cur[1:]
	return f, nil
}

// Close stops the decoder and waits for ogr2ogr; one stopped early is
// killed, not reported.
func (s *copyStream) Close() error {
	s.once.Do(func() {
		done := s.eof
		if !done {
			s.cancel()
		}
		close(s.done)
		for range s.batches { // let the decoder finish
		}
		s.wg.Wait()
		err := s.cmd.Wait()
		s.cancel()
		if err != nil && done {
			s.cerr = fmt.Errorf("%s failed (%v): %s", s.what, err, strings.TrimSpace(s.stderr.String()))
		}
	})
	return s.cerr
}

// decode reads the dump's COPY rows and sends them decoded, in batches.
func (s *copyStream) decode(r io.Reader, stop <-chan struct{}) {
	defer s.wg.Done()
	defer close(s.batches)
	send := func(b copyBatchOf) bool {
		select {
		case s.batches <- b:
			return true
		case <-stop:
			return false
		}
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var cols []string
	inCopy := false
	batch := make([]*dataset.SourceFeature, 0, copyBatch)
	row := 0
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte("\n"))
			switch {
			case !inCopy && bytes.HasPrefix(line, []byte("COPY ")):
				if cols, err = copyColumns(string(line)); err != nil {
					send(copyBatchOf{err: fmt.Errorf("%s: %v", s.what, err)})
					return
				}
				inCopy = true
			case inCopy && string(line) == `\.`:
				inCopy = false
			case inCopy:
				f, ferr := s.row(cols, line)
				if ferr != nil {
					send(copyBatchOf{err: fmt.Errorf("row %d of %s: %v", row, s.what, ferr)})
					return
				}
				row++
				batch = append(batch, f)
				if len(batch) == copyBatch {
					if !send(copyBatchOf{features: batch}) {
						return
					}
					batch = make([]*dataset.SourceFeature, 0, copyBatch)
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			send(copyBatchOf{err: fmt.Errorf("%s: %v", s.what, err)})
			return
		}
	}
	if len(batch) > 0 {
		send(copyBatchOf{features: batch})
	}
}

// row decodes one COPY row of cols.
func (s *copyStream) row(cols []string, line []byte) (*dataset.SourceFeature, error) {
	f := &dataset.SourceFeature{Properties: make(map[string]json.RawMessage, len(cols))}
	for i, col := range cols {
		var field []byte
		if j := bytes.IndexByte(line, '\t'); j >= 0 {
			field, line = line[:j], line[j+1:]
		} else {
			field, line = line, nil
			if i < len(cols)-1 {
				return nil, fmt.Errorf("%d values for %d columns", i+1, len(cols))
			}
		}
		if string(field) == `\N` {
			continue // null: absent, as GeoJSON's null
		}
		switch col {
		case copyFIDColumn:
			continue
		case copyGeomColumn:
			wkb := make([]byte, hex.DecodedLen(len(field)))
			if _, err := hex.Decode(wkb, field); err != nil {
				return nil, fmt.Errorf("geometry: %v", err)
			}
			g, _, err := ewkb.Unmarshal(wkb)
			if err != nil {
				return nil, fmt.Errorf("geometry: %v", err)
			}
			f.Geometry = g
			continue
		}
		text := unescapeCOPY(field)
		f.Properties[col] = s.value(col, text)
	}
	return f, nil
}

// value renders a column's text as the GeoJSON stream would write it.
func (s *copyStream) value(col, text string) json.RawMessage {
	switch s.kinds[col] {
	case copyNumber:
		if v, err := strconv.ParseFloat(text, 64); err == nil {
			if strings.ContainsAny(text, ".eE") {
				return json.RawMessage(strconv.FormatFloat(v, 'f', -1, 64))
			}
			return json.RawMessage(text)
		}
	case copyBool:
		switch text {
		case "1", "t", "true", "TRUE":
			return json.RawMessage("true")
		case "0", "f", "false", "FALSE":
			return json.RawMessage("false")
		}
	}
	return dataset.JSONString(text)
}

// copyColumns reads the column names of a dump's COPY line:
// COPY "schema"."table" ("a", "b") FROM STDIN;
func copyColumns(line string) ([]string, error) {
	open := strings.IndexByte(line, '(')
	end := strings.LastIndex(line, ") FROM STDIN")
	if open < 0 || end < open {
		return nil, fmt.Errorf("unexpected COPY line %.80q", line)
	}
	list := line[open+1 : end]
	var cols []string
	for len(list) > 0 {
		list = strings.TrimLeft(list, " ,")
		if !strings.HasPrefix(list, `"`) {
			return nil, fmt.Errorf("unexpected column list %.80q", line[open:])
		}
		var b strings.Builder
		i := 1
		for ; i < len(list); i++ {
			if list[i] == '"' {
				if i+1 < len(list) && list[i+1] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			b.WriteByte(list[i])
		}
		if i >= len(list) {
			return nil, errors.New("unterminated column name in the COPY line")
		}
		cols = append(cols, b.String())
		list = list[i+1:]
	}
	return cols, nil
}

// unescapeCOPY undoes COPY's text-format escapes (\\, \t, \n, \r, \b,
// \f, \v, octal \NNN and hex \xHH).
func unescapeCOPY(field []byte) string {
	if bytes.IndexByte(field, '\\') < 0 {
		return string(field)
	}
	var b strings.Builder
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c != '\\' || i+1 == len(field) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := field[i]; e {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			j := i + 1
			for j < len(field) && j < i+3 && isHex(field[j]) {
				j++
			}
			v, _ := strconv.ParseUint(string(field[i+1:j]), 16, 8)
			b.WriteByte(byte(v))
			i = j - 1
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(field) && j < i+3 && field[j] >= '0' && field[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(string(field[i:j]), 8, 8)
				b.WriteByte(byte(v))
				i = j - 1
				continue
			}
			b.WriteByte(e)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
