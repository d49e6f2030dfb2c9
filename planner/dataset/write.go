package dataset

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// WriteDir writes ds as a dataset directory (the six files of the public
// format, and counties.geojson when ds has counties of its own: not just
// the implied default county), creating dir if needed and replacing files
// already there (a counties.geojson there is removed when ds has none). The
// output is deterministic: the same dataset gives the same bytes. ds is
// not modified. Geometries are written in EPSG:4490 lon/lat degrees.
func WriteDir(ds *planner.Dataset, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := WriteCountiesFile(dir, ds.Counties); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{FileIndustries, func(w io.Writer) error { return WriteIndustries(w, ds.Industries) }},
		{FileTowns, func(w io.Writer) error { return WriteTowns(w, ds.Towns, ds.Counties) }},
		{FileQuotas, func(w io.Writer) error { return WriteQuotas(w, ds.Quotas) }},
		{FileParcels, func(w io.Writer) error { return WriteParcels(w, ds.Parcels) }},
		{FileProtected, func(w io.Writer) error { return WriteProtected(w, ds.Protected) }},
		{FileEnterprises, func(w io.Writer) error { return WriteEnterprises(w, ds.Enterprises) }},
	}
	for _, f := range files {
		if err := WriteFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes path through a temporary file in the same directory,
// renamed into place when write succeeds, so a failed write leaves no
// half-written file behind.
func WriteFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// order returns the indices 0..n-1 sorted by key, ties by index.
func order(n int, key func(i int) string) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(key(a), key(b)) })
	return idx
}

// WriteCountiesFile writes dir's counties.geojson (WriteCounties), or
// removes it when counties are only the implied default county (such
// data has none), so that an earlier dataset's counties are not read
// back with this one's towns.
func WriteCountiesFile(dir string, counties []planner.County) error {
	if !planner.OnlyImpliedCounty(counties) {
		return WriteFile(filepath.Join(dir, FileCounties), func(w io.Writer) error { return WriteCounties(w, counties) })
	}
	if err := os.Remove(filepath.Join(dir, FileCounties)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// WriteCounties writes counties.geojson, sorted by code; the implied
// default county is left out (planner.County.Implied).
func WriteCounties(w io.Writer, counties []planner.County) error {
	fw := newFeatureWriter(w, FileCounties)
	for _, i := range order(len(counties), func(i int) string { return counties[i].Code }) {
		c := &counties[i]
		if c.Implied {
			continue
		}
		fw.begin(c.Code)
		fw.propString("code", c.Code)
		fw.propString("name_zh", c.NameZh)
		fw.propString("name_en", c.NameEn)
		fw.propString("prefecture", c.Prefecture)
		fw.propCoord("seat_lon", c.Seat[0])
		fw.propCoord("seat_lat", c.Seat[1])
		fw.endMultiPolygon(c.Boundary)
	}
	return fw.close()
}

// WriteTowns writes towns.geojson, sorted by code. Each town's county
// property is written unless counties are only the implied default
// county (planner.OnlyImpliedCounty): such data is written as it was
// before counties existed.
func WriteTowns(w io.Writer, towns []planner.Town, counties []planner.County) error {
	withCounty := !planner.OnlyImpliedCounty(counties)
	fw := newFeatureWriter(w, FileTowns)
	for _, i := range order(len(towns), func(i int) string { return towns[i].Code }) {
		t := &towns[i]
		fw.begin(t.Code)
		fw.propString("code", t.Code)
		if withCounty {
			fw.propString("county", t.County)
		}
		fw.propString("name_zh", t.NameZh)
		fw.propString("name_en", t.NameEn)
		fw.propString("type", string(t.Type))
		fw.propStrings("industries", t.Industries)
		fw.propCoord("seat_lon", t.Seat[0])
		fw.propCoord("seat_lat", t.Seat[1])
		fw.propBool("synthetic", t.Synthetic)
		fw.endMultiPolygon(t.Boundary)
	}
	return fw.close()
}

// WriteParcels writes parcels.geojson, sorted by id. A parcel's empty
// Specialty and zero OpenYear are written as null.
func WriteParcels(w io.Writer, parcels []planner.Parcel) error {
	pw := NewParcelWriter(w)
	for _, i := range order(len(parcels), func(i int) string { return parcels[i].ID }) {
		if err := pw.Write(&parcels[i]); err != nil {
			return err
		}
	}
	return pw.Close()
}

// ParcelWriter writes parcels.geojson one parcel at a time, for datasets
// too large to hold in memory. Parcels must come in strictly ascending id
// order (byte order, as Go compares strings); the bytes are then those of
// WriteParcels.
type ParcelWriter struct {
	fw   *featureWriter
	last string
}

// NewParcelWriter starts parcels.geojson on w.
func NewParcelWriter(w io.Writer) *ParcelWriter {
	return &ParcelWriter{fw: newFeatureWriter(w, FileParcels)}
}

// Write writes one parcel; an id not above the previous one is an error.
func (pw *ParcelWriter) Write(p *planner.Parcel) error {
	if err := inOrder(FileParcels, pw.fw.n, pw.last, p.ID); err != nil {
		return err
	}
	pw.last = p.ID
	fw := pw.fw
	fw.begin(p.ID)
	fw.propString("id", p.ID)
	fw.propString("town", p.Town)
	fw.propString("kind", string(p.Kind))
	fw.propString("name", p.Name)
	fw.propNumber("area_mu", p.AreaMu)
	fw.propNumber("far", p.FAR)
	fw.propNumber("cost_wan", p.CostWan)
	fw.propNumber("floor_m2", p.FloorM2)
	fw.propInt("firms", p.Firms)
	fw.propNullString("specialty", p.Specialty)
	fw.propNullInt("open_year", p.OpenYear)
	fw.endMultiPolygon(p.Geometry)
	return fw.err
}

// Close ends the collection and flushes; it does not close the io.Writer.
func (pw *ParcelWriter) Close() error { return pw.fw.close() }

// inOrder checks that id comes strictly after last (the n-th feature).
func inOrder(file string, n int, last, id string) error {
	if n > 0 && strings.Compare(id, last) <= 0 {
		return fmt.Errorf("%s: feature %d: id %q comes after %q; a streamed layer must be in strictly ascending id order", file, n, id, last)
	}
	return nil
}

// WriteProtected writes protected.geojson, sorted by id.
func WriteProtected(w io.Writer, areas []planner.ProtectedArea) error {
	fw := newFeatureWriter(w, FileProtected)
	for _, i := range order(len(areas), func(i int) string { return areas[i].ID }) {
		a := &areas[i]
		fw.begin(a.ID)
		fw.propString("id", a.ID)
		fw.propString("kind", string(a.Kind))
		fw.propString("name", a.Name)
		fw.endMultiPolygon(a.Geometry)
	}
	return fw.close()
}

// WriteEnterprises writes enterprises.geojson, sorted by id.
func WriteEnterprises(w io.Writer, firms []planner.Enterprise) error {
	ew := NewEnterpriseWriter(w)
	for _, i := range order(len(firms), func(i int) string { return firms[i].ID }) {
		if err := ew.Write(&firms[i]); err != nil {
			return err
		}
	}
	return ew.Close()
}

// EnterpriseWriter writes enterprises.geojson one firm at a time; like
// ParcelWriter, ids must come in strictly ascending order.
type EnterpriseWriter struct {
	fw   *featureWriter
	last string
}

// NewEnterpriseWriter starts enterprises.geojson on w.
func NewEnterpriseWriter(w io.Writer) *EnterpriseWriter {
	return &EnterpriseWriter{fw: newFeatureWriter(w, FileEnterprises)}
}

// Write writes one enterprise; an id not above the previous one is an error.
func (ew *EnterpriseWriter) Write(e *planner.Enterprise) error {
	if err := inOrder(FileEnterprises, ew.fw.n, ew.last, e.ID); err != nil {
		return err
	}
	ew.last = e.ID
	fw := ew.fw
	fw.begin(e.ID)
	fw.propString("id", e.ID)
	fw.propString("town", e.Town)
	fw.propString("industry", e.Industry)
	fw.propString("size", string(e.Size))
	fw.propNumber("floor_m2", e.FloorM2)
	fw.propNumber("output_per_mu", e.OutputPerMu)
	fw.propNumber("tax_per_mu", e.TaxPerMu)
	fw.propString("pollution", string(e.Pollution))
	fw.propBool("low_scattered", e.LowScattered)
	fw.propBool("safety_ok", e.SafetyOK)
	if e.MuClass != "" {
		fw.propString("mu_class", string(e.MuClass))
	}
	fw.endPoint(e.Location)
	return fw.err
}

// Close ends the collection and flushes; it does not close the io.Writer.
func (ew *EnterpriseWriter) Close() error { return ew.fw.close() }

// WriteQuotas writes quotas.csv, sorted by town then year.
func WriteQuotas(w io.Writer, quotas []planner.Quota) error {
	q := slices.Clone(quotas)
	slices.SortStableFunc(q, func(a, b planner.Quota) int {
		return cmp.Or(strings.Compare(a.Town, b.Town), cmp.Compare(a.Year, b.Year))
	})
	cw := csv.NewWriter(w)
	if err := cw.Write(headerQuotas); err != nil {
		return err
	}
	for _, x := range q {
		if !finite(x.NewLandMu) {
			return fmt.Errorf("%s: town %s year %d: new_land_mu is %v; only finite numbers can be written", FileQuotas, x.Town, x.Year, x.NewLandMu)
		}
		if err := cw.Write([]string{x.Town, strconv.Itoa(x.Year), formatValue(x.NewLandMu)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteIndustries writes industries.csv, sorted by code, each industry's
// related codes sorted and joined by ';'.
func WriteIndustries(w io.Writer, inds []planner.Industry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(headerIndustries); err != nil {
		return err
	}
	for _, i := range order(len(inds), func(i int) string { return inds[i].Code }) {
		in := &inds[i]
		rel := slices.Clone(in.Related)
		slices.Sort(rel)
		if err := cw.Write([]string{in.Code, in.NameZh, in.NameEn, strings.Join(rel, relatedSep)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
