// Package report writes a compliance.Report in the bureau's formats: JSON,
// GeoJSON of the violations (RFC 7946, lon/lat EPSG:4490), CSV (ledger and
// violations), an XLSX workbook (excelize; sheets "ledger", "violations",
// "parcels" and, when measured, "marginal") and a one-page PNG chart of
// quota against new land used per town (gonum/plot).
//
// Chinese town names are kept as UTF-8 in JSON, CSV and XLSX. The PNG
// labels towns by their English names: gonum/plot draws with its embedded
// Liberation fonts, which have no CJK glyphs, and no CJK font is installed
// on the build hosts.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parkplan/parkplan/planner/compliance"
)

// Format is an output format name, as in `check --out` and `POST /checks?format=`.
type Format string

// Formats.
const (
	FormatJSON    Format = "json"
	FormatGeoJSON Format = "geojson"
	FormatCSV     Format = "csv" // the ledger; ViolationsCSV writes the other table
	FormatXLSX    Format = "xlsx"
	FormatPNG     Format = "png"
)

// ParseFormat returns the format named s, or an error listing the known ones.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case FormatJSON, FormatGeoJSON, FormatCSV, FormatXLSX, FormatPNG:
		return f, nil
	case "":
		return FormatJSON, nil
	}
	return "", fmt.Errorf("unknown format %q: use json, geojson, csv, xlsx or png", s)
}

// ContentType is the media type of f.
func (f Format) ContentType() string {
	switch f {
	case FormatGeoJSON:
		return "application/geo+json"
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatPNG:
		return "image/png"
	}
	return "application/json"
}

// Write writes r to w in format f.
func Write(w io.Writer, r *compliance.Report, f Format) error {
	switch f {
	case FormatGeoJSON:
		return WriteGeoJSON(w, r)
	case FormatCSV:
		return WriteLedgerCSV(w, r)
	case FormatXLSX:
		return WriteXLSX(w, r)
	case FormatPNG:
		return WritePNG(w, r)
	}
	return WriteJSON(w, r)
}

// WriteJSON writes r as indented JSON (areas in mu; no geometries: see WriteGeoJSON).
func WriteJSON(w io.Writer, r *compliance.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Files are the names WriteDir writes.
var Files = []string{"report.json", "violations.geojson", "ledger.csv", "violations.csv", "check.xlsx", "quota.png"}

// WriteDir writes every output into dir (which must exist) with the names
// in Files, through create (os.Create in cmd; tests may use their own);
// chart configures quota.png.
func WriteDir(dir string, r *compliance.Report, chart ChartOptions, create func(name string) (io.WriteCloser, error)) error {
	writers := []func(io.Writer, *compliance.Report) error{WriteJSON, WriteGeoJSON, WriteLedgerCSV, WriteViolationsCSV, WriteXLSX, chart.WritePNG}
	for i, name := range Files {
		f, err := create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := writers[i](f, r); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// townTotals sums the ledger per town over its years, in town order.
type townTotal struct {
	Town, NameZh, NameEn               string
	QuotaMu, UsedMu, OldMu, OfficialMu float64
	Over                               bool
}

func townTotals(r *compliance.Report) []townTotal {
	if r.Ledger == nil {
		return nil
	}
	idx := map[string]int{}
	var out []townTotal
	for _, row := range r.Ledger.Rows {
		i, ok := idx[row.Town]
		if !ok {
			i = len(out)
			idx[row.Town] = i
			out = append(out, townTotal{Town: row.Town, NameZh: row.NameZh, NameEn: row.NameEn})
		}
		t := &out[i]
		t.QuotaMu += row.QuotaMu
		t.OfficialMu += row.OfficialQuotaMu
		t.UsedMu += row.NewLandUsedMu
		t.OldMu += row.OldFactoryMu
		t.Over = t.Over || row.Over
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Town < out[j].Town })
	return out
}
