package dataset

import (
	"cmp"
	"encoding/csv"
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
// format), creating dir if needed and replacing files already there. The
// output is deterministic: the same dataset gives the same bytes. ds is
// not modified. Geometries are written in EPSG:4490 lon/lat degrees.
func WriteDir(ds *planner.Dataset, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{FileIndustries, func(w io.Writer) error { return WriteIndustries(w, ds.Industries) }},
		{FileTowns, func(w io.Writer) error { return WriteTowns(w, ds.Towns) }},
		{FileQuotas, func(w io.Writer) error { return WriteQuotas(w, ds.Quotas) }},
		{FileParcels, func(w io.Writer) error { return WriteParcels(w, ds.Parcels) }},
		{FileProtected, func(w io.Writer) error { return WriteProtected(w, ds.Protected) }},
		{FileEnterprises, func(w io.Writer) error { return WriteEnterprises(w, ds.Enterprises) }},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes path through a temporary file renamed into place, so a
// failed write leaves no half-written file behind.
func writeFile(path string, write func(io.Writer) error) error {
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

// WriteTowns writes towns.geojson, sorted by code.
func WriteTowns(w io.Writer, towns []planner.Town) error {
	fw := newFeatureWriter(w, FileTowns)
	for _, i := range order(len(towns), func(i int) string { return towns[i].Code }) {
		t := &towns[i]
		fw.begin(t.Code)
		fw.propString("code", t.Code)
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
	fw := newFeatureWriter(w, FileParcels)
	for _, i := range order(len(parcels), func(i int) string { return parcels[i].ID }) {
		p := &parcels[i]
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
	}
	return fw.close()
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
	fw := newFeatureWriter(w, FileEnterprises)
	for _, i := range order(len(firms), func(i int) string { return firms[i].ID }) {
		e := &firms[i]
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
		fw.endPoint(e.Location)
	}
	return fw.close()
}

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
