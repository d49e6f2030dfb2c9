package dataset

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// Monitoring files: a directory (DirMonitoring inside a dataset
// directory) with one row per park and year and one per firm and year
// (docs/data-format.md).
const (
	DirMonitoring       = "monitoring"
	FileMonitoringParks = "parks.csv"
	FileMonitoringFirms = "firms.csv"
	// FileMonitoringFirmsGeoJSON may stand instead of firms.csv.
	FileMonitoringFirmsGeoJSON = "firms.geojson"
)

var (
	headerMonitoringParks = []string{"year", "park_id", "floor_built_m2", "floor_vacant_m2", "facilities"}
	headerMonitoringFirms = []string{"year", "park_id", "firm_id", "industry", "size", "floor_m2", "output_wan", "tax_wan", "mu_class"}
)

// facilitySep joins facilities in parks.csv.
const facilitySep = ";"

// floorTolM2 absorbs rounding when floors are compared (m²).
const floorTolM2 = 0.5

// MonitoringRefs are the stored facts a monitoring record is checked against.
type MonitoringRefs struct {
	Parcels    map[string]planner.Parcel // the dataset's parcels by id
	Industries map[string]bool           // the dataset's industry codes
	ThisYear   int                       // the latest year a record may hold (the current year)
}

// ReadMonitoringDir reads and validates the monitoring directory dir
// (parks.csv and firms.csv). Every fault is reported with file, line and
// field: an unknown park, a park not yet open, floor built above what the
// parcel allows (area × FAR) or vacant floor above the built, a firm in two
// parks in one year, a park whose firms occupy more floor than was built,
// a year after refs.ThisYear, unknown industries, sizes, classes and
// facilities, bad numbers. On any fault it returns a nil record and an
// Errors value (code EINVALID).
func ReadMonitoringDir(dir string, refs MonitoringRefs, opt Options) (*planner.Monitoring, error) {
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = DefaultMaxErrors
	}
	mr := &monReader{opt: opt, refs: refs, errs: &collector{max: opt.MaxErrors}, parks: map[parkYearKey]*parkTally{}, firms: map[firmYearKey]string{}}
	firms := struct {
		file string
		read func(io.Reader) error
	}{FileMonitoringFirms, mr.readFirms}
	if _, err := os.Stat(filepath.Join(dir, FileMonitoringFirmsGeoJSON)); err == nil {
		if _, err := os.Stat(filepath.Join(dir, FileMonitoringFirms)); err == nil {
			return nil, Errors{planner.FieldErrorf(DirMonitoring+"/"+FileMonitoringFirmsGeoJSON, "%s and %s both hold the firms; keep one", FileMonitoringFirms, FileMonitoringFirmsGeoJSON)}
		}
		firms.file, firms.read = FileMonitoringFirmsGeoJSON, mr.readFirmsGeoJSON
	}
	for _, s := range []struct {
		file string
		read func(io.Reader) error
	}{{FileMonitoringParks, mr.readParks}, firms} {
		f, err := os.Open(filepath.Join(dir, s.file))
		if err != nil {
			mr.errs.add(DirMonitoring+"/"+s.file, "cannot open: %v", err)
			continue
		}
		err = s.read(f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := mr.errs.err(); err != nil {
		return nil, err
	}
	m := &planner.Monitoring{Parks: mr.out.Parks, Firms: mr.out.Firms}
	sort.Slice(m.Parks, func(i, j int) bool {
		a, b := m.Parks[i], m.Parks[j]
		return a.Year < b.Year || (a.Year == b.Year && a.ParkID < b.ParkID)
	})
	sort.Slice(m.Firms, func(i, j int) bool {
		a, b := m.Firms[i], m.Firms[j]
		return a.Year < b.Year || (a.Year == b.Year && a.FirmID < b.FirmID)
	})
	return m, nil
}

type parkYearKey struct {
	year int
	park string
}

type firmYearKey struct {
	year int
	firm string
}

// parkTally is a park-year row and the floor its firms take so far.
type parkTally struct {
	where        string // the parks.csv record
	builtM2      float64
	firmsFloorM2 float64
}

type monReader struct {
	opt   Options
	refs  MonitoringRefs
	errs  *collector
	out   planner.Monitoring
	parks map[parkYearKey]*parkTally
	firms map[firmYearKey]string // → the record that placed the firm
}

// year reads a year column: an integer between minYear and refs.ThisYear.
func (mr *monReader) year(where, raw string) (int, bool) {
	y, err := strconv.Atoi(strings.TrimSpace(raw))
	switch {
	case err != nil || y < minYear:
		mr.errs.add(where+": year", "%q is not a year (%d or later)", raw, minYear)
		return 0, false
	case y > mr.refs.ThisYear:
		mr.errs.add(where+": year", "%d is in the future (this year is %d): monitoring records only years that have begun", y, mr.refs.ThisYear)
		return 0, false
	}
	return y, true
}

// number reads a finite number ≥ 0 (> 0 when positive).
func (mr *monReader) number(where, field, raw, unit string, positive bool) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (positive && v == 0) {
		cmp := "≥ 0"
		if positive {
			cmp = "> 0"
		}
		mr.errs.add(where+": "+field, "%q is not a number %s (%s)", raw, cmp, unit)
		return 0, false
	}
	return v, true
}

func (mr *monReader) readParks(r io.Reader) error {
	file := DirMonitoring + "/" + FileMonitoringParks
	return readCSV(r, file, headerMonitoringParks, mr.errs, func(line int, f []string) error {
		where := fmtRecord(file, line)
		py := planner.ParkYear{ParkID: strings.TrimSpace(f[1])}
		y, ok := mr.year(where, f[0])
		py.Year = y
		p, known := mr.refs.Parcels[py.ParkID]
		switch {
		case py.ParkID == "":
			mr.errs.add(where+": park_id", "is empty")
			ok = false
		case !known:
			mr.errs.add(where+": park_id", "no park %q: not a parcel of the stored dataset", py.ParkID)
			ok = false
		case p.Kind.Locked() && p.OpenYear > y && y > 0:
			mr.errs.add(where+": park_id", "park %s opens in %d; it has no record for %d", py.ParkID, p.OpenYear, y)
			ok = false
		}
		built, okB := mr.number(where, "floor_built_m2", f[2], "m²", false)
		vacant, okV := mr.number(where, "floor_vacant_m2", f[3], "m²", false)
		ok = ok && okB && okV
		if okB && known {
			if most := p.AreaMu * planner.MuM2 * p.FAR; built > most+floorTolM2 {
				mr.errs.add(where+": floor_built_m2", "%s m² is above what park %s allows: %.2f mu × %.2f m²/mu × FAR %.2f = %.0f m²", strings.TrimSpace(f[2]), py.ParkID, p.AreaMu, planner.MuM2, p.FAR, most)
				ok = false
			}
		}
		if okB && okV && vacant > built+floorTolM2 {
			mr.errs.add(where+": floor_vacant_m2", "%s m² vacant is above the %s m² built", strings.TrimSpace(f[3]), strings.TrimSpace(f[2]))
			ok = false
		}
		py.FloorBuiltM2, py.FloorVacantM2 = built, vacant
		if s := strings.TrimSpace(f[4]); s != "" {
			for _, x := range strings.Split(s, facilitySep) {
				fac := planner.Facility(strings.TrimSpace(x))
				if !fac.Valid() {
					mr.errs.add(where+": facilities", "unknown facility %q (known: %s)", fac, knownFacilities())
					ok = false
					continue
				}
				py.Facilities = append(py.Facilities, fac)
			}
			sort.Slice(py.Facilities, func(i, j int) bool { return py.Facilities[i] < py.Facilities[j] })
		}
		if !ok {
			return nil
		}
		k := parkYearKey{py.Year, py.ParkID}
		if prev, dup := mr.parks[k]; dup {
			mr.errs.add(where+": park_id", "park %s appears twice for %d (%s too)", py.ParkID, py.Year, prev.where)
			return nil
		}
		mr.parks[k] = &parkTally{where: where, builtM2: built}
		mr.out.Parks = append(mr.out.Parks, py)
		return nil
	})
}

func (mr *monReader) readFirms(r io.Reader) error {
	file := DirMonitoring + "/" + FileMonitoringFirms
	return readCSV(r, file, headerMonitoringFirms, mr.errs, func(line int, f []string) error {
		where := fmtRecord(file, line)
		x := planner.FirmYear{ParkID: strings.TrimSpace(f[1]), FirmID: strings.TrimSpace(f[2]), Industry: strings.TrimSpace(f[3]),
			Size: planner.SizeClass(strings.TrimSpace(f[4])), MuClass: planner.MuClass(strings.TrimSpace(f[8]))}
		y, err := strconv.Atoi(strings.TrimSpace(f[0]))
		ok := err == nil
		if !ok {
			mr.errs.add(where+": year", "%q is not a year", f[0])
		}
		x.Year = y
		var okF, okO, okT bool
		x.FloorM2, okF = mr.number(where, "floor_m2", f[5], "m²", true)
		x.OutputWan, okO = mr.number(where, "output_wan", f[6], "10,000 yuan", false)
		x.TaxWan, okT = mr.number(where, "tax_wan", f[7], "10,000 yuan", false)
		mr.addFirm(where, where+": ", x, ok && okF && okO && okT, nil)
		return nil
	})
}

// readFirmsGeoJSON reads firms.geojson: one Feature per firm and year,
// the properties of firms.csv's columns (year an integer, figures
// numbers); the geometry (the firm's location) may be null and is not kept.
func (mr *monReader) readFirmsGeoJSON(r io.Reader) error {
	file := DirMonitoring + "/" + FileMonitoringFirmsGeoJSON
	cr := &collectionReader{file: file, opt: mr.opt, errs: mr.errs}
	return cr.read(r, func(i int, f *rawFeature, _ *transform) error {
		p := &props{file: file, index: i, errs: mr.errs, ok: true}
		if f.Type != "Feature" {
			p.bad("type", "is %q; each member of \"features\" must be a Feature", f.Type)
			return nil
		}
		var err error
		if p.m, err = splitObject(f.Properties); err != nil || p.m == nil {
			p.bad("properties", "must be an object with the columns of firms.csv")
			return nil
		}
		// GDAL writes an all-digit id column as a JSON integer: take its digits.
		idText := func(key string) string {
			if raw := p.get(key); raw != nil && raw[0] != '"' {
				var n json.Number
				if json.Unmarshal(raw, &n) == nil {
					if _, err := n.Int64(); err == nil {
						return n.String()
					}
				}
			}
			return p.str(key)
		}
		p.id = idText("firm_id")
		x := planner.FirmYear{Year: p.integer("year"), ParkID: idText("park_id"), FirmID: p.id, Industry: p.str("industry"),
			Size: planner.SizeClass(p.str("size")), FloorM2: p.number("floor_m2"), OutputWan: p.number("output_wan"),
			TaxWan: p.number("tax_wan"), MuClass: planner.MuClass(p.optStr("mu_class"))}
		for _, k := range []struct {
			name string
			v    float64
		}{{"output_wan", x.OutputWan}, {"tax_wan", x.TaxWan}} {
			p.check(k.v >= 0, k.name, "is %s; must be ≥ 0 (10,000 yuan)", shown(k.v))
		}
		p.check(x.FloorM2 > 0, "floor_m2", "is %s; must be > 0 (m²)", shown(x.FloorM2))
		reported := map[string]bool{}
		for k := range p.faulty {
			reported[strings.TrimPrefix(k, "properties.")] = true
		}
		mr.addFirm(p.where(), p.where()+": properties.", x, p.ok, reported)
		return nil
	})
}

// addFirm checks a firm-year against the park rows and the firms before
// it and keeps it. where names the record, at the record plus a field
// prefix; ok is false when reading the record already found a fault,
// reported the fields it named (not reported again).
func (mr *monReader) addFirm(where, at string, x planner.FirmYear, ok bool, reported map[string]bool) {
	if x.Year > mr.refs.ThisYear {
		mr.errs.add(at+"year", "%d is in the future (this year is %d): monitoring records only years that have begun", x.Year, mr.refs.ThisYear)
		ok = false
	}
	park := mr.parks[parkYearKey{x.Year, x.ParkID}]
	switch _, known := mr.refs.Parcels[x.ParkID]; {
	case !ok:
	case !known:
		mr.errs.add(at+"park_id", "no park %q: not a parcel of the stored dataset", x.ParkID)
		ok = false
	case park == nil:
		mr.errs.add(at+"park_id", "park %s has no row for %d in %s/%s", x.ParkID, x.Year, DirMonitoring, FileMonitoringParks)
		ok = false
	}
	if x.FirmID == "" && !reported["firm_id"] {
		mr.errs.add(at+"firm_id", "is empty")
		ok = false
	}
	if !mr.refs.Industries[x.Industry] && !reported["industry"] {
		mr.errs.add(at+"industry", "unknown industry %q", x.Industry)
		ok = false
	}
	if !x.Size.Valid() && !reported["size"] {
		mr.errs.add(at+"size", "%q: it must be micro, small, medium or large", x.Size)
		ok = false
	}
	if x.MuClass != "" && !x.MuClass.Valid() {
		mr.errs.add(at+"mu_class", "%q: it must be A, B, C or D (亩均效益 class), or empty", x.MuClass)
		ok = false
	}
	if !ok {
		return
	}
	k := firmYearKey{x.Year, x.FirmID}
	if prev, dup := mr.firms[k]; dup {
		mr.errs.add(at+"firm_id", "firm %s is in two parks in %d: %s places it too", x.FirmID, x.Year, prev)
		return
	}
	mr.firms[k] = where + " (park " + x.ParkID + ")"
	park.firmsFloorM2 += x.FloorM2
	if park.firmsFloorM2 > park.builtM2+floorTolM2 {
		mr.errs.add(at+"floor_m2", "park %s's firms occupy %.0f m² in %d with this one, above the %.0f m² built (%s)", x.ParkID, park.firmsFloorM2, x.Year, park.builtM2, park.where)
		return
	}
	mr.out.Firms = append(mr.out.Firms, x)
}

func knownFacilities() string {
	var all []string
	for _, f := range planner.RequiredFacilities(planner.TierComplex) {
		all = append(all, string(f))
	}
	return strings.Join(all, ", ")
}
