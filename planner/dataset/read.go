package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// Options says how a dataset's files are read.
type Options struct {
	// CRS of the GeoJSON coordinates: "EPSG:4490", "EPSG:4326" (lon/lat),
	// "EPSG:4549" or "EPSG:4528" (Gauss–Krüger metres). "" uses each file's
	// "crs" member, or lon/lat EPSG:4490 without one. A value that
	// contradicts a file's declaration is an error.
	CRS string
	// FromGCJ02 converts lon/lat input (and town seats) from GCJ-02 to
	// WGS84/CGCS2000 with geo.GCJ02ToWGS84.
	FromGCJ02 bool
	// MaxErrors caps the errors collected (DefaultMaxErrors if ≤ 0).
	MaxErrors int
	// MaxVertices caps the positions of one geometry (DefaultMaxVertices
	// if ≤ 0); a geometry with more is refused.
	MaxVertices int
}

// Handler receives a dataset's records as they are read and validated, in
// dependency order: industries, counties, towns, quotas, parcels,
// protected areas, enterprises, each file in file order. Without
// counties.geojson, County receives the implied planner.DefaultCounty
// once, and every town is in it. Nil funcs are skipped. Once any
// record is invalid no further records are handed over (the read goes on
// only to report more errors). A func's error ends the read at once and is
// returned as it is.
type Handler struct {
	Industry   func(planner.Industry) error
	County     func(planner.County) error
	Town       func(planner.Town) error
	Quota      func(planner.Quota) error
	Parcel     func(planner.Parcel) error
	Protected  func(planner.ProtectedArea) error
	Enterprise func(planner.Enterprise) error
}

// Counts says how many records of each layer were read.
type Counts struct {
	Industries, Counties, Towns, Quotas, Parcels, Protected, Enterprises int
}

// areaTolerance is how far a file's area_mu may be from the area computed
// from its geometry (geo.AreaMu), as a fraction: survey figures and our
// ellipsoidal area differ by far less than 1 %; more means the figure or
// the geometry is wrong.
const areaTolerance = 0.01

// Year bounds for quota and opening years.
const minYear, maxYear = 1949, 2100

// ReadDir reads and validates the dataset directory dir, handing each
// valid record to h. It returns the counts read and nil, or an Errors
// value listing what is wrong (file, feature index, id, field, value),
// or h's own error. Memory stays bounded by one feature plus the ids seen.
func ReadDir(dir string, opt Options, h Handler) (Counts, error) {
	return readWith(dir, opt, h, nil, nil, nil)
}

// readWith is ReadDir with the files opened by open (nil: from dir),
// features placed in their sources by loc and unknown towns hinted at by
// townHint (nil: none) — ReadSources' way in (sources.go).
func readWith(dir string, opt Options, h Handler, open func(file string) (io.ReadCloser, error), loc *locator, townHint func(string) string) (Counts, error) {
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = DefaultMaxErrors
	}
	if opt.MaxVertices <= 0 {
		opt.MaxVertices = DefaultMaxVertices
	}
	rd := newReader(dir, opt, h)
	rd.open, rd.loc, rd.townHint = open, loc, townHint
	if opt.CRS != "" {
		if _, err := ParseCRS(opt.CRS); err != nil {
			return Counts{}, planner.FieldErrorf("--crs", "%v", err)
		}
	}
	steps := []struct {
		file   string
		read   func(io.Reader) error
		absent func() error // nil: the file is required
	}{
		{FileIndustries, rd.readIndustries, nil},
		{FileCounties, rd.readCounties, rd.impliedCounty},
		{FileTowns, rd.readTowns, nil},
		{FileQuotas, rd.readQuotas, nil},
		{FileParcels, rd.readParcels, nil},
		{FileProtected, rd.readProtected, nil},
		{FileEnterprises, rd.readEnterprises, nil},
	}
	for _, s := range steps {
		if rd.errs.atCap() {
			break
		}
		before := len(rd.errs.errs)
		if err := rd.readFile(s.file, s.read, s.absent); err != nil {
			return rd.counts, err
		}
		if len(rd.errs.errs) > before {
			rd.incomplete[s.file] = true
		}
	}
	return rd.counts, rd.errs.err()
}

// LoadDir reads and validates the dataset in dir into memory (slices
// sorted by id). For large inputs prefer ReadDir, which streams.
func LoadDir(dir string, opt Options) (*planner.Dataset, error) {
	return load(func(h Handler) (Counts, error) { return ReadDir(dir, opt, h) })
}

// LoadSources reads and validates mapped sources into memory, as LoadDir.
func LoadSources(src Sources, opt Options) (*planner.Dataset, error) {
	return load(func(h Handler) (Counts, error) { return ReadSources(src, opt, h) })
}

func load(read func(Handler) (Counts, error)) (*planner.Dataset, error) {
	ds := &planner.Dataset{}
	_, err := read(Handler{
		Industry:   func(x planner.Industry) error { ds.Industries = append(ds.Industries, x); return nil },
		County:     func(x planner.County) error { ds.Counties = append(ds.Counties, x); return nil },
		Town:       func(x planner.Town) error { ds.Towns = append(ds.Towns, x); return nil },
		Quota:      func(x planner.Quota) error { ds.Quotas = append(ds.Quotas, x); return nil },
		Parcel:     func(x planner.Parcel) error { ds.Parcels = append(ds.Parcels, x); return nil },
		Protected:  func(x planner.ProtectedArea) error { ds.Protected = append(ds.Protected, x); return nil },
		Enterprise: func(x planner.Enterprise) error { ds.Enterprises = append(ds.Enterprises, x); return nil },
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ds.Industries, func(i, j int) bool { return ds.Industries[i].Code < ds.Industries[j].Code })
	sort.SliceStable(ds.Counties, func(i, j int) bool { return ds.Counties[i].Code < ds.Counties[j].Code })
	sort.SliceStable(ds.Towns, func(i, j int) bool { return ds.Towns[i].Code < ds.Towns[j].Code })
	sort.SliceStable(ds.Quotas, func(i, j int) bool {
		a, b := ds.Quotas[i], ds.Quotas[j]
		return a.Town < b.Town || (a.Town == b.Town && a.Year < b.Year)
	})
	sort.SliceStable(ds.Parcels, func(i, j int) bool { return ds.Parcels[i].ID < ds.Parcels[j].ID })
	sort.SliceStable(ds.Protected, func(i, j int) bool { return ds.Protected[i].ID < ds.Protected[j].ID })
	sort.SliceStable(ds.Enterprises, func(i, j int) bool { return ds.Enterprises[i].ID < ds.Enterprises[j].ID })
	return ds, nil
}

// newReader returns the state of one read of dir; opt's caps are set.
func newReader(dir string, opt Options, h Handler) *reader {
	return &reader{
		dir:          dir,
		opt:          opt,
		h:            h,
		errs:         &collector{max: opt.MaxErrors},
		industries:   map[string]bool{},
		counties:     map[string]bool{},
		countyBounds: map[string]orb.Bound{},
		towns:        map[string]bool{},
		townBounds:   map[string]orb.Bound{},
		incomplete:   map[string]bool{},
	}
}

// reader holds the state of one ReadDir.
type reader struct {
	dir        string
	opt        Options
	h          Handler
	errs       *collector
	counts     Counts
	industries map[string]bool // codes read from industries.csv
	counties   map[string]bool // codes read from counties.geojson, or the implied county's
	// countyBounds holds each surveyed county's bounding box, for the
	// town-outside-its-county check.
	countyBounds map[string]orb.Bound
	// noCounties: counties.geojson is absent, every town is in the
	// implied default county
	noCounties bool
	towns      map[string]bool // codes read from towns.geojson
	// townBounds holds each town's bounding box (a few hundred bytes for
	// a province's 1,300 towns), for the outside-its-town check.
	townBounds map[string]orb.Bound
	// incomplete marks a file that had errors: references to its codes
	// are not checked, to spare the user a cascade of "unknown" errors.
	incomplete map[string]bool
	open       func(file string) (io.ReadCloser, error) // nil: files in dir
	loc        *locator                                 // nil: features are where the file says
	townHint   func(code string) string                 // nil: no hint for an unknown town
}

func (rd *reader) readFile(name string, read func(io.Reader) error, absent func() error) error {
	if rd.open != nil {
		rc, err := rd.open(name)
		if absent != nil && errors.Is(err, os.ErrNotExist) {
			return absent()
		}
		if err != nil {
			return err
		}
		defer rc.Close()
		return read(rc)
	}
	f, err := os.Open(filepath.Join(rd.dir, name))
	if absent != nil && errors.Is(err, os.ErrNotExist) {
		return absent()
	}
	if errors.Is(err, os.ErrNotExist) {
		rd.errs.add(name, "missing from %s; a dataset directory holds %s, %s, %s, %s, %s and %s",
			rd.dir, FileTowns, FileParcels, FileProtected, FileEnterprises, FileQuotas, FileIndustries)
		return nil
	} else if err != nil {
		return err
	}
	defer f.Close()
	return read(f)
}

// emit hands a record over unless the read has found errors.
func emit[T any](rd *reader, fn func(T) error, x T) error {
	if fn == nil || len(rd.errs.errs) > 0 {
		return nil
	}
	return fn(x)
}

// ids checks the uniqueness of a layer's ids, remembering the first
// feature of each. It keeps a 64-bit hash of each id, not the id (about
// 20 bytes a feature instead of 100, so a file of millions of features
// streams in little memory). Two different ids share a hash with
// probability n²/2⁶⁵ — about 1e-8 for 600,000 features; the database's
// primary key remains the exact check.
type ids struct {
	seed  maphash.Seed
	first map[uint64]int32
}

func newIDs() *ids { return &ids{seed: maphash.MakeSeed(), first: map[uint64]int32{}} }

// add records id for feature i, or returns the feature that had it first.
func (s *ids) add(id string, i int) (first int, dup bool) {
	h := maphash.String(s.seed, id)
	if f, ok := s.first[h]; ok {
		return int(f), true
	}
	s.first[h] = int32(i)
	return 0, false
}

// beginFeature checks a feature's envelope (type, properties, UTF-8) and
// its id, and returns its properties reader; ok false if the feature
// cannot be read further.
func (rd *reader) beginFeature(file string, i int, f *rawFeature, idKey string, seen *ids) (*props, bool) {
	p := &props{file: file, index: i, errs: rd.errs, ok: true, loc: rd.loc}
	if rd.loc != nil {
		defer rd.loc.report(p) // faults the source's converter found
	}
	if f.Type != "Feature" {
		p.bad("type", "is %q; each member of \"features\" must be a Feature", clip(f.Type))
		return p, false
	}
	if f.fields.names != nil {
		p.fields = &f.fields
	} else {
		if len(f.Properties) == 0 || string(f.Properties) == "null" {
			p.bad("properties", "missing; this layer's properties are listed in docs/data-format.md")
			return p, false
		}
		var err error
		if p.m, err = splitObject(f.Properties); err != nil {
			p.bad("properties", "must be an object: %v", err)
			return p, false
		}
	}
	if fid := featureID(f.ID); fid != "" {
		// GDAL (ogr2ogr) writes an "id" property as the feature id and drops it from the properties
		if _, has := p.lookup(idKey); !has {
			p.set(idKey, quoteJSON(fid))
		} else if v := p.optRawStr(idKey); p.ok && v != fid {
			p.id = clip(v)
			p.bad("id", "feature id %q differs from properties.%s %q", clip(fid), idKey, clip(v))
			return p, false
		}
	}
	p.id = p.rawStr(idKey) // idFault below names a NUL with the id shown
	if !p.ok {
		return p, false
	}
	if f := idFault(p.id); f != "" {
		p.id = clip(strings.Trim(strconv.Quote(p.id), `"`)) // named, not echoed whole nor with its NUL
		p.bad("properties."+idKey, "%s", f)
		return p, false
	}
	if !p.validUTF8(f.Properties) {
		for _, k := range p.keys() {
			if v, _ := p.lookup(k); !utf8.Valid(v) {
				p.bad("properties."+k, "holds bytes that are not UTF-8 (%q); save the file as UTF-8 (GBK/GB18030 is not accepted)", quote(v))
				return p, false
			}
		}
		p.bad("properties", "a property name holds bytes that are not UTF-8; save the file as UTF-8")
		return p, false
	}
	if p.id == "" {
		p.bad("properties."+idKey, "is empty; every feature needs an id")
		return p, false
	}
	if first, dup := seen.add(p.id, i); dup {
		p.bad("properties."+idKey, "duplicate id %q: feature %d has it too", p.id, first)
		return p, false
	}
	return p, true
}

// featureID returns a feature's "id" member as text ("" if absent or not
// a string or number).
func featureID(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func sortedKeys(m map[string]json.RawMessage) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (rd *reader) geom(p *props, tr *transform) *geomReader {
	return &geomReader{tr: tr, maxVertices: rd.opt.MaxVertices,
		bad: func(field, format string, args ...any) { p.bad(field, format, args...) }}
}

func (rd *reader) knownTown(p *props, key, code string) {
	if p.ok && !rd.towns[code] && !rd.incomplete[FileTowns] {
		hint := ""
		if rd.townHint != nil {
			hint = rd.townHint(code)
		}
		p.bad("properties."+key, "unknown town %q (not in %s)%s", clip(code), FileTowns, hint)
	}
}

func (rd *reader) knownIndustry(p *props, key, code string) {
	if !rd.industries[code] && !rd.incomplete[FileIndustries] {
		p.bad("properties."+key, "unknown industry %q (not in %s)", clip(code), FileIndustries)
	}
}

// inTown refuses a parcel or firm (box b) farther than TownToleranceM
// outside the bounding box of its town: a wrong CRS, swapped
// coordinates or a typo in the degrees, not a boundary's slack.
func (rd *reader) inTown(p *props, town string, b orb.Bound) {
	tb, ok := rd.townBounds[town]
	if !p.ok || !ok {
		return
	}
	outsideBox(p, "town "+town, tb, b, "check the coordinates' CRS or the town")
}

// outsideBox refuses a geometry (box b) farther than TownToleranceM
// outside box, the bounding box of what (e.g. "town zhouxiang"), with
// advice on what to check.
func outsideBox(p *props, what string, box, b orb.Bound, advice string) {
	if gap := boxGapM(box, b); gap > TownToleranceM {
		p.bad("geometry", "lies %.1f km outside %s's bounding box (west %s, south %s, east %s, north %s), more than the %g km allowed; %s",
			gap/1000, what, num(box.Min[0]), num(box.Min[1]), num(box.Max[0]), num(box.Max[1]), TownToleranceM/1000.0, advice)
	}
}

// seatTransform converts a town's or county's seat (always lon/lat
// EPSG:4490 degrees, from GCJ-02 when the options say so).
func (rd *reader) seatTransform() (*transform, error) {
	return newTransform(geo.EPSG4490, true, rd.opt.FromGCJ02)
}

// readSeat reads a seat's seat_lon and seat_lat properties.
func readSeat(p *props, seat *transform) orb.Point {
	lon, lat := p.number("seat_lon"), p.number("seat_lat")
	if !p.ok {
		return orb.Point{}
	}
	pt, msg := seat.point(lon, lat)
	p.check(msg == "", "seat_lon", "seat: %s", msg)
	return pt
}

func (rd *reader) readTowns(r io.Reader) error {
	seen := newIDs()
	seat, err := rd.seatTransform()
	if err != nil {
		return err
	}
	cr := &collectionReader{file: FileTowns, opt: rd.opt, errs: rd.errs}
	return cr.read(r, func(i int, f *rawFeature, tr *transform) error {
		p, ok := rd.beginFeature(FileTowns, i, f, "code", seen)
		if !ok {
			return nil
		}
		t := planner.Town{Code: p.id}
		t.NameZh = p.str("name_zh")
		t.NameEn = p.optStr("name_en")
		t.Type = planner.TownType(p.str("type"))
		if p.ok {
			p.check(t.Type.Valid(), "type", "is %s; it must be town, subdistrict or zone", shown(string(t.Type)))
		}
		t.Industries = p.strs("industries")
		if p.ok && len(t.Industries) == 0 {
			p.bad("properties.industries", "is empty; a town needs at least one block industry (main first)")
		}
		for _, code := range t.Industries {
			rd.knownIndustry(p, "industries", code)
		}
		t.Seat = readSeat(p, seat)
		if raw := p.get("synthetic"); raw != nil {
			t.Synthetic = p.boolean("synthetic")
		}
		t.County = rd.townCounty(p)
		if mp, ok := rd.geom(p, tr).multiPolygon(f.Geometry); ok {
			t.Boundary = mp
			rd.inCounty(p, t.County, mp.Bound())
		}
		if !p.ok {
			return nil
		}
		rd.towns[t.Code] = true
		rd.townBounds[t.Code] = t.Boundary.Bound()
		rd.counts.Towns++
		return emit(rd, rd.h.Town, t)
	})
}

func (rd *reader) readParcels(r io.Reader) error {
	seen := newIDs()
	cr := &collectionReader{file: FileParcels, opt: rd.opt, errs: rd.errs}
	return cr.read(r, func(i int, f *rawFeature, tr *transform) error {
		p, ok := rd.beginFeature(FileParcels, i, f, "id", seen)
		if !ok {
			return nil
		}
		x := planner.Parcel{ID: p.id}
		x.Town = p.str("town")
		rd.knownTown(p, "town", x.Town)
		x.Kind = planner.ParcelKind(p.str("kind"))
		if p.ok {
			p.check(x.Kind.Valid(), "kind", "is %s; it must be existing, under_construction, new_land or old_factory", shown(string(x.Kind)))
		}
		x.Name = p.optStr("name")
		area, hasArea := p.optNumber("area_mu")
		x.FAR = p.number("far")
		p.check(x.FAR > 0, "far", "is %s; a floor-area ratio must be > 0", shown(x.FAR))
		x.CostWan = p.number("cost_wan")
		p.check(x.CostWan >= 0, "cost_wan", "is %s; a cost must be ≥ 0", shown(x.CostWan))
		x.FloorM2 = p.number("floor_m2")
		p.check(x.FloorM2 >= 0, "floor_m2", "is %s; floor space must be ≥ 0", shown(x.FloorM2))
		x.Firms = p.integer("firms")
		p.check(x.Firms >= 0, "firms", "is %d; must be ≥ 0", x.Firms)
		x.Specialty = p.optStr("specialty")
		if x.Specialty != "" {
			rd.knownIndustry(p, "specialty", x.Specialty)
		}
		x.OpenYear = p.optInt("open_year")
		p.check(x.OpenYear == 0 || (x.OpenYear >= minYear && x.OpenYear <= maxYear), "open_year",
			"is %d; it must be a year between %d and %d, or null", x.OpenYear, minYear, maxYear)
		mp, gok := rd.geom(p, tr).multiPolygon(f.Geometry)
		if gok {
			x.Geometry = mp
			computed := areaMu(f.Geometry, mp)
			switch {
			case !hasArea:
				x.AreaMu = computed
			case area <= 0:
				p.bad("properties.area_mu", "is %s; an area must be > 0", shown(area))
			case area > provinceAreaMu:
				p.bad("properties.area_mu", "is %s; larger than Zhejiang province (%.0f mu)", shown(area), provinceAreaMu)
			case math.Abs(area-computed) > areaTolerance*computed:
				p.bad("properties.area_mu", "is %s but the geometry's area is %.3f mu: they differ by %.1f %%, more than the %.0f %% allowed (fix area_mu, or leave it out to use the computed area)",
					shown(area), computed, 100*math.Abs(area-computed)/computed, 100*areaTolerance)
			default:
				x.AreaMu = area
			}
			rd.inTown(p, x.Town, mp.Bound())
		}
		if !p.ok {
			return nil
		}
		rd.counts.Parcels++
		return emit(rd, rd.h.Parcel, x)
	})
}

func (rd *reader) readProtected(r io.Reader) error {
	seen := newIDs()
	cr := &collectionReader{file: FileProtected, opt: rd.opt, errs: rd.errs}
	return cr.read(r, func(i int, f *rawFeature, tr *transform) error {
		p, ok := rd.beginFeature(FileProtected, i, f, "id", seen)
		if !ok {
			return nil
		}
		x := planner.ProtectedArea{ID: p.id}
		x.Kind = planner.ProtectedKind(p.str("kind"))
		if p.ok {
			p.check(x.Kind.Valid(), "kind", "is %s; it must be basic_farmland, eco_redline or dev_boundary", shown(string(x.Kind)))
		}
		x.Name = p.optStr("name")
		if mp, ok := rd.geom(p, tr).multiPolygon(f.Geometry); ok {
			x.Geometry = mp
		}
		if !p.ok {
			return nil
		}
		rd.counts.Protected++
		return emit(rd, rd.h.Protected, x)
	})
}

func (rd *reader) readEnterprises(r io.Reader) error {
	seen := newIDs()
	cr := &collectionReader{file: FileEnterprises, opt: rd.opt, errs: rd.errs}
	return cr.read(r, func(i int, f *rawFeature, tr *transform) error {
		p, ok := rd.beginFeature(FileEnterprises, i, f, "id", seen)
		if !ok {
			return nil
		}
		x := planner.Enterprise{ID: p.id}
		if msg := creditCodeFault(x.ID); msg != "" {
			p.bad("properties.id", "%s", msg)
		}
		x.Town = p.str("town")
		rd.knownTown(p, "town", x.Town)
		x.Industry = p.str("industry")
		if p.ok {
			rd.knownIndustry(p, "industry", x.Industry)
		}
		x.Size = planner.SizeClass(p.str("size"))
		if p.ok {
			p.check(x.Size.Valid(), "size", "is %s; it must be micro, small, medium or large", shown(string(x.Size)))
		}
		x.FloorM2 = p.number("floor_m2")
		p.check(x.FloorM2 > 0, "floor_m2", "is %s; the floor space needed must be > 0", shown(x.FloorM2))
		x.OutputPerMu = p.number("output_per_mu")
		p.check(x.OutputPerMu >= 0, "output_per_mu", "is %s; must be ≥ 0", shown(x.OutputPerMu))
		x.TaxPerMu = p.number("tax_per_mu")
		p.check(x.TaxPerMu >= 0, "tax_per_mu", "is %s; must be ≥ 0", shown(x.TaxPerMu))
		x.Pollution = planner.Pollution(p.str("pollution"))
		if p.ok {
			p.check(x.Pollution.Valid(), "pollution", "is %s; it must be light, moderate or heavy", shown(string(x.Pollution)))
		}
		x.LowScattered = p.boolean("low_scattered")
		x.SafetyOK = p.boolean("safety_ok")
		x.MuClass = planner.MuClass(p.optStr("mu_class"))
		p.check(x.MuClass == "" || x.MuClass.Valid(), "mu_class", "is %s; it must be A, B, C or D (亩均效益 class), or left out", shown(string(x.MuClass)))
		if pt, ok := rd.geom(p, tr).point(f.Geometry); ok {
			x.Location = pt
			rd.inTown(p, x.Town, pt.Bound())
		}
		if !p.ok {
			return nil
		}
		rd.counts.Enterprises++
		return emit(rd, rd.h.Enterprise, x)
	})
}

// fmtRecord names a CSV record in messages: "quotas.csv: line 3".
func fmtRecord(file string, line int) string { return fmt.Sprintf("%s: line %d", file, line) }
