package dataset

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// layerFiles are the files FuzzReadLayer's layer byte picks from.
var layerFiles = []string{FileIndustries, FileTowns, FileQuotas, FileParcels, FileProtected, FileEnterprises}

// maxFaultLen bounds one fault's message, bytes: a huge bad value is cut.
const maxFaultLen = 1000

// FuzzReadLayer feeds arbitrary bytes to one layer's reader (layer picks
// the file), after the small fixture's industries and towns were read.
// The reader must not panic; each fault must be an EINVALID error naming
// its place, of bounded length; and every record it hands over must be
// one the database accepts (dbFault, the migrations' checks), so a
// dataset that `import --check` passes imports. Seeds: the fixture's
// files, the bad inputs of datasettest, and testdata/fuzz/FuzzReadLayer;
// plain `go test` runs them, `go test -fuzz FuzzReadLayer` explores.
func FuzzReadLayer(f *testing.F) {
	for i, name := range layerFiles {
		b, err := os.ReadFile(filepath.Join("testdata/small", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
		for _, c := range datasettest.BadCases() {
			if c.File == name {
				f.Add(uint8(i), c.Mutate(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, layer uint8, b []byte) {
		rd := newReader("testdata/small", Options{MaxErrors: DefaultMaxErrors, MaxVertices: DefaultMaxVertices}, Handler{})
		if err := rd.readFile(FileIndustries, rd.readIndustries, nil); err != nil {
			t.Fatal(err)
		}
		if err := rd.readFile(FileCounties, rd.readCounties, rd.impliedCounty); err != nil {
			t.Fatal(err)
		}
		if err := rd.readFile(FileTowns, rd.readTowns, nil); err != nil {
			t.Fatal(err)
		}
		check := func(what, id, fault string) {
			if fault != "" {
				t.Errorf("%s %q was handed over but the database refuses it: %s", what, clip(id), fault)
			}
		}
		rd.h = Handler{
			Industry:   func(x planner.Industry) error { check("industry", x.Code, industryFault(x)); return nil },
			Town:       func(x planner.Town) error { check("town", x.Code, townFault(x)); return nil },
			Quota:      func(x planner.Quota) error { check("quota", x.Town, quotaFault(x)); return nil },
			Parcel:     func(x planner.Parcel) error { check("parcel", x.ID, parcelFault(x)); return nil },
			Protected:  func(x planner.ProtectedArea) error { check("protected area", x.ID, texts(x.ID, x.Name)); return nil },
			Enterprise: func(x planner.Enterprise) error { check("enterprise", x.ID, enterpriseFault(x)); return nil },
		}
		before := len(rd.errs.errs)
		reads := []func(r *bytes.Reader) error{
			func(r *bytes.Reader) error { return rd.readIndustries(r) },
			func(r *bytes.Reader) error { return rd.readTowns(r) },
			func(r *bytes.Reader) error { return rd.readQuotas(r) },
			func(r *bytes.Reader) error { return rd.readParcels(r) },
			func(r *bytes.Reader) error { return rd.readProtected(r) },
			func(r *bytes.Reader) error { return rd.readEnterprises(r) },
		}
		if err := reads[int(layer)%len(reads)](bytes.NewReader(b)); err != nil {
			t.Fatalf("reader error (not a validation fault): %v", err)
		}
		for _, e := range rd.errs.errs[before:] {
			if e.Code != planner.EINVALID || e.Field == "" || len(e.Error()) > maxFaultLen {
				t.Errorf("fault %q (code %s, %d bytes): want EINVALID naming its place, at most %d bytes",
					clip(e.Error()), e.Code, len(e.Error()), maxFaultLen)
			}
		}
	})
}

// texts says which of ss database text cannot hold, or "".
func texts(ss ...string) string {
	for _, s := range ss {
		if f := textFault(s); f != "" {
			return f
		}
	}
	return ""
}

// figure says whether v passes a `v >= lo AND v < 'Infinity'` check (or > lo when strict).
func figure(v, lo float64, strict bool) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	return v > lo || (!strict && v == lo)
}

// The migrations' checks, for records the reader handed over.

func industryFault(x planner.Industry) string {
	if x.Code == "" || strings.ContainsFunc(x.Code, unicode.IsSpace) || strings.ContainsAny(x.Code, ";,") {
		return "code breaks industry's check"
	}
	return texts(append([]string{x.Code, x.NameZh, x.NameEn}, x.Related...)...)
}

func townFault(x planner.Town) string {
	if x.Code == "" || x.NameZh == "" || len(x.Industries) == 0 || !x.Type.Valid() || len(x.Boundary) == 0 {
		return "breaks town's checks"
	}
	return texts(append([]string{x.Code, x.NameZh, x.NameEn}, x.Industries...)...)
}

func quotaFault(x planner.Quota) string {
	if x.Year < 1949 || x.Year > 2100 || !figure(x.NewLandMu, 0, false) {
		return "breaks quota's checks"
	}
	return texts(x.Town)
}

func parcelFault(x planner.Parcel) string {
	switch {
	case x.ID == "" || !x.Kind.Valid() || len(x.Geometry) == 0:
		return "id, kind or geometry"
	case !figure(x.AreaMu, 0, true) || !figure(x.FAR, 0, true) || !figure(x.CostWan, 0, false) || !figure(x.FloorM2, 0, false):
		return "a figure breaks its check"
	case x.Firms < 0 || x.Firms > math.MaxInt32:
		return "firms is not a database integer ≥ 0"
	case x.OpenYear != 0 && (x.OpenYear < 1949 || x.OpenYear > 2100):
		return "open_year out of range"
	}
	return texts(x.ID, x.Town, x.Name, x.Specialty)
}

func enterpriseFault(x planner.Enterprise) string {
	switch {
	case x.ID == "" || !x.Size.Valid() || !x.Pollution.Valid():
		return "id, size or pollution"
	case !figure(x.FloorM2, 0, true) || !figure(x.OutputPerMu, 0, false) || !figure(x.TaxPerMu, 0, false):
		return "a figure breaks its check"
	}
	return texts(x.ID, x.Town, x.Industry)
}
