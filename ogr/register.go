package ogr

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/parkplan/parkplan/planner/dataset"
)

// A register is the economy bureau's enterprise list: an Excel workbook
// (.xlsx, one sheet) or a CSV file (UTF-8, or GBK as Excel saves it in
// China), one firm a row under a header row. It has no geometry: each row
// becomes a feature with null geometry, and the converter places the firm
// at its lon/lat columns or its town's seat (planner/dataset).

// registerHeaderRow is the spreadsheet row of the header; data starts on
// the next.
const registerHeaderRow = 1

// rowSource yields a register's rows, header first.
type rowSource interface {
	next() ([]string, bool, error)
	close() error
}

// openRows opens a register's rows; sheet names the workbook's sheet (""
// for the only or first one).
func openRows(path, sheet string) (rowSource, string, error) {
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		rs, err := openCSVRows(path)
		return rs, "", err
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("%s: not a readable .xlsx workbook: %v", path, err)
	}
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			f.Close()
			return nil, "", fmt.Errorf("%s has no sheet", path)
		}
		sheet = sheets[0]
	} else if !contains(sheets, sheet) {
		f.Close()
		return nil, "", fmt.Errorf("%s has no sheet %q; its sheets are %s", path, sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, "", err
	}
	return &xlsxRows{f: f, rows: rows}, sheet, nil
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
}

func (x *xlsxRows) next() ([]string, bool, error) {
	if !x.rows.Next() {
		return nil, false, x.rows.Error()
	}
	cols, err := x.rows.Columns()
	return cols, true, err
}

func (x *xlsxRows) close() error {
	x.rows.Close()
	return x.f.Close()
}

type csvRows struct {
	f  *os.File
	cr *csv.Reader
}

// openCSVRows opens a CSV register: UTF-8 (a BOM is skipped) or, when its
// bytes are not UTF-8, GB18030 (GBK's superset, as Excel saves "CSV" on a
// Chinese Windows).
func openCSVRows(path string) (*csvRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	isUTF8, err := validUTF8(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	var r io.Reader = bufio.NewReader(f)
	if isUTF8 {
		br := r.(*bufio.Reader)
		if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
	} else {
		r = transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	return &csvRows{f: f, cr: cr}, nil
}

// validUTF8 reads r through and reports whether it is all UTF-8.
func validUTF8(r io.Reader) (bool, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var carry []byte
	buf := make([]byte, 1<<16)
	for {
		n, err := br.Read(buf)
		b := append(carry, buf[:n]...)
		// keep an incomplete rune at the end for the next block
		cut := len(b)
		for k := 1; k <= utf8.UTFMax && k <= len(b); k++ {
			if utf8.RuneStart(b[len(b)-k]) {
				if !utf8.FullRune(b[len(b)-k:]) {
					cut = len(b) - k
				}
				break
			}
		}
		if !utf8.Valid(b[:cut]) {
			return false, nil
		}
		carry = append([]byte(nil), b[cut:]...)
		if err == io.EOF {
			return utf8.Valid(carry), nil
		} else if err != nil {
			return false, err
		}
	}
}

func (c *csvRows) next() ([]string, bool, error) {
	rec, err := c.cr.Read()
	if err == io.EOF {
		return nil, false, nil
	}
	return rec, err == nil, err
}

func (c *csvRows) close() error { return c.f.Close() }

// registerColumns returns a register's first sheet (the file's name
// for a CSV) and its header.
func registerColumns(path string) (string, []string, error) {
	rs, sheet, err := openRows(path, "")
	if err != nil {
		return "", nil, err
	}
	defer rs.close()
	h, ok, err := rs.next()
	if err != nil || !ok {
		return "", nil, fmt.Errorf("%s: no header row: %v", path, err)
	}
	if sheet == "" {
		sheet = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return sheet, trimAll(h), nil
}

func trimAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.TrimSpace(x)
	}
	return out
}

// openRegister prepares an enterprise register (.xlsx or .csv): its rows
// stream as features with null geometry, numbered by spreadsheet row in
// messages.
func openRegister(path string, lm dataset.LayerMapping) (dataset.LayerSource, error) {
	rs, sheet, err := openRows(path, lm.Layer)
	if err != nil {
		return dataset.LayerSource{}, err
	}
	header, ok, err := rs.next()
	rs.close()
	if err != nil || !ok {
		return dataset.LayerSource{}, fmt.Errorf("%s: no header row", path)
	}
	name := filepath.Base(path)
	if sheet != "" {
		name += ", sheet " + sheet
	}
	return dataset.LayerSource{
		Name:    name,
		Open:    func() (io.ReadCloser, error) { return registerStream(path, sheet) },
		Columns: trimAll(header),
		Map:     lm,
		RowBase: registerHeaderRow + 1,
	}, nil
}

// registerStream writes a register's rows as a GeoJSON FeatureCollection
// on a pipe. Blank rows at the end are dropped; blank rows between firms
// stay (so feature i is spreadsheet row i+2) and the validator names them.
func registerStream(path, sheet string) (io.ReadCloser, error) {
	rs, _, err := openRows(path, sheet)
	if err != nil {
		return nil, err
	}
	return dataset.Pipe(func(w io.Writer) error {
		defer rs.close()
		return writeRegister(w, rs)
	}), nil
}

func writeRegister(w io.Writer, rs rowSource) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	header, ok, err := rs.next()
	if err != nil || !ok {
		return fmt.Errorf("no header row: %v", err)
	}
	header = trimAll(header)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	n, blanks := 0, 0
	feature := func(props map[string]string) {
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteString("\n{\"type\":\"Feature\",\"properties\":{")
		first := true
		for j, h := range header {
			v, ok := props[h]
			if !ok || h == "" || (j > 0 && contains(header[:j], h)) {
				continue
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			k, _ := json.Marshal(h)
			val, _ := json.Marshal(v)
			bw.Write(k)
			bw.WriteByte(':')
			bw.Write(val)
		}
		bw.WriteString("},\"geometry\":null}")
	}
	for {
		row, ok, err := rs.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		props := map[string]string{}
		for j, v := range row {
			if j < len(header) && strings.TrimSpace(v) != "" {
				props[header[j]] = v
			}
		}
		if len(props) == 0 {
			blanks++
			continue
		}
		for ; blanks > 0; blanks-- {
			feature(nil)
		}
		feature(props)
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}
