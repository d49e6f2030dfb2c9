package dataset

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// LayerSource is one source layer of a dataset layer, ready to stream: a
// GeoJSON FeatureCollection in the source's own columns and CRS, as
// `ogr2ogr -f GeoJSON /vsistdout/` writes it (package ogr), or as a
// register reader makes it.
type LayerSource struct {
	// Name names the source in messages: "county.gpkg, layer 地块".
	Name string
	// Open starts the stream; Close must stop it (and any process
	// behind it) even when it was not read to the end.
	Open func() (io.ReadCloser, error)
	// OpenFeatures, when set, is read instead of Open: the source's
	// features already decoded (no GeoJSON text to write and parse).
	OpenFeatures func() (FeatureStream, error)
	// EPSG is the CRS of the coordinates (from CRSFromWKT, or the
	// mapping's crs); 0 means lon/lat EPSG:4490.
	EPSG int
	// Columns are the source's column names (for the usual names).
	Columns []string
	// Map is the layer's mapping: columns, values, defaults, scale.
	Map LayerMapping
	// RowBase, when > 0, names features as spreadsheet rows in
	// messages: feature i is row i+RowBase (a register's header is row 1).
	RowBase int
}

// Sources are where a dataset comes from when it is not a dataset
// directory: parkplan's CSV files for industries and quotas, and mapped
// source layers for the GeoJSON layers (keys LayerTowns … LayerEnterprises).
type Sources struct {
	Industries, Quotas string
	Layers             map[string][]LayerSource
	// Start, when set, starts reading the sources ahead (the processes
	// behind their streams); ReadSources calls it first, a caller may
	// call it earlier. It may be called more than once.
	Start func()
	// Close, when set, is called once ReadSources is done with the
	// sources (streams its reader started ahead and never read).
	Close func() error
}

// ReadSources reads and validates a dataset from mapped sources and hands
// each valid record to h, exactly as ReadDir does for a directory: each
// source layer's features are renamed and converted to the format's
// fields (mapping_convert.go) and then read by the same validator, so the
// checks and the transaction are the same. Errors name the source, the
// feature (index in the source and id) and the column with its field.
func ReadSources(src Sources, opt Options, h Handler) (Counts, error) {
	if opt.CRS != "" || opt.FromGCJ02 {
		return Counts{}, planner.FieldErrorf("--crs", "applies to a dataset directory only; a mapped source's CRS comes from its .prj or CRS, or the mapping's crs")
	}
	if src.Close != nil {
		defer src.Close()
	}
	if src.Start != nil {
		src.Start()
	}
	loc := &locator{segs: map[string][]segment{}}
	towns := &townIndex{byName: map[string]string{}, codes: map[string]string{}, seats: map[string]orb.Point{}, bounds: map[string]orb.MultiPolygon{}}
	wrapped := h
	wrapped.Town = func(t planner.Town) error {
		towns.add(t)
		if h.Town != nil {
			return h.Town(t)
		}
		return nil
	}
	open := func(file string) (io.ReadCloser, error) {
		switch file {
		case FileIndustries:
			return os.Open(src.Industries)
		case FileQuotas:
			return os.Open(src.Quotas)
		case FileCounties:
			// a mapping has no counties layer: the data is one county
			return nil, fmt.Errorf("dataset: a mapping has no %s: %w", file, os.ErrNotExist)
		}
		for _, l := range mappedLayers {
			if l.file == file {
				return &remapFeed{layer: l.name, file: l.file, srcs: src.Layers[l.name], loc: loc, towns: towns}, nil
			}
		}
		return nil, fmt.Errorf("dataset: no source for %s", file)
	}
	return readWith("", opt, wrapped, open, loc, towns.hint)
}

// locator names the place of a feature of a merged layer stream in its
// source: which source, the feature's index there, and the column of a
// field.
type locator struct {
	mu     sync.Mutex
	segs   map[string][]segment // by dataset file, in stream order
	faults map[string]map[int][]fault
}

// fault is what a converter found wrong with a source feature that the
// format cannot show (a register position outside its town): it is
// reported at the feature, through the validator's collector.
type fault struct{ field, msg string }

// addFault records a fault of feature i (merged stream index) of file.
func (l *locator) addFault(file string, i int, f fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.faults == nil {
		l.faults = map[string]map[int][]fault{}
	}
	if l.faults[file] == nil {
		l.faults[file] = map[int][]fault{}
	}
	l.faults[file][i] = append(l.faults[file][i], f)
}

// report hands the recorded faults of p's feature to p.
func (l *locator) report(p *props) {
	l.mu.Lock()
	fs := l.faults[p.file][p.index]
	delete(l.faults[p.file], p.index)
	l.mu.Unlock()
	for _, f := range fs {
		p.bad(f.field, "%s", f.msg)
	}
}

type segment struct {
	start   int // index in the merged stream of the source's first feature
	name    string
	rowBase int               // > 0: name features as rows i+rowBase
	columns map[string]string // field → source column
}

func (l *locator) begin(file string, s segment) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.segs[file] = append(l.segs[file], s)
}

func (l *locator) find(file string, i int) (segment, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	segs := l.segs[file]
	k := sort.Search(len(segs), func(k int) bool { return segs[k].start > i }) - 1
	if k < 0 {
		return segment{}, false
	}
	return segs[k], true
}

// where names feature i of file: "county.gpkg, layer 地块: feature 3 (id P-1)".
func (l *locator) where(file string, i int, id string) string {
	s, ok := l.find(file, i)
	switch {
	case !ok:
		return where(file, i, id)
	case s.rowBase > 0 && id != "":
		return fmt.Sprintf("%s: row %d (id %s)", s.name, i-s.start+s.rowBase, id)
	case s.rowBase > 0:
		return fmt.Sprintf("%s: row %d", s.name, i-s.start+s.rowBase)
	}
	return where(s.name, i-s.start, id)
}

// field names a field of feature i by its source column:
// "properties.far" → "column 容积率 (far)".
func (l *locator) field(file string, i int, field string) string {
	f, ok := strings.CutPrefix(field, "properties.")
	if !ok {
		return field
	}
	s, found := l.find(file, i)
	if !found {
		return field
	}
	switch col := s.columns[f]; col {
	case "":
		return fmt.Sprintf("%s (no column: the mapping names none and no usual name was found)", f)
	case f:
		return "column " + f
	default:
		return fmt.Sprintf("column %s (%s)", col, f)
	}
}

// townIndex resolves a town given by Chinese name to its code, and lists
// near misses for one that matches nothing.
type townIndex struct {
	mu     sync.Mutex
	byName map[string]string // name_zh → code
	codes  map[string]string // code → name_zh
	seats  map[string]orb.Point
	bounds map[string]orb.MultiPolygon
}

func (ti *townIndex) add(t planner.Town) {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	ti.byName[t.NameZh] = t.Code
	ti.codes[t.Code] = t.NameZh
	ti.seats[t.Code] = t.Seat
	ti.bounds[t.Code] = t.Boundary
}

// contains reports whether a town (by code) holds p; ok false when the
// town is unknown.
func (ti *townIndex) contains(code string, p orb.Point) (in, ok bool) {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	b, ok := ti.bounds[code]
	if !ok {
		return false, false
	}
	return planar.MultiPolygonContains(b, p), true
}

// seat returns the seat of a town (by code), lon/lat.
func (ti *townIndex) seat(code string) (orb.Point, bool) {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	p, ok := ti.seats[code]
	return p, ok
}

// code returns the code of a town given by code or Chinese name.
func (ti *townIndex) code(v string) (string, bool) {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	if _, ok := ti.codes[v]; ok {
		return v, true
	}
	c, ok := ti.byName[v]
	return c, ok
}

// townSuffixes are the endings a town's name has or loses in registers.
var townSuffixes = []string{"街道办事处", "街道", "镇", "乡", "开发区", "园区"}

func townStem(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range townSuffixes {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}

// hint lists the towns near v ("" if none): the same name with or
// without 镇/街道, or a name or code that contains it or that it contains.
func (ti *townIndex) hint(v string) string {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	var near []string
	for name, code := range ti.byName {
		if townStem(name) == townStem(v) || strings.Contains(name, v) || strings.Contains(v, townStem(name)) ||
			strings.EqualFold(code, v) || strings.Contains(strings.ToLower(code), strings.ToLower(v)) {
			near = append(near, fmt.Sprintf("%s (%s)", name, code))
		}
	}
	if len(near) == 0 {
		return "; no town's name or code is near it"
	}
	sort.Strings(near)
	return "; near misses: " + strings.Join(near, ", ") + " — use the town's code or its exact name, or map the value in the mapping's values"
}

// featureFeed is a layer whose features are handed to the validator
// already decoded, in the same goroutine (collectionReader.read asks for
// it), instead of as GeoJSON text: a remapped layer is parsed once.
type featureFeed interface {
	feed(cr *collectionReader, fn func(i int, f *rawFeature, tr *transform) error) error
}

// remapFeed feeds one dataset layer from its mapped sources. As an
// io.Reader it is empty: it is read only through feed.
type remapFeed struct {
	layer, file string
	srcs        []LayerSource
	loc         *locator
	towns       *townIndex
}

func (r *remapFeed) Read([]byte) (int, error) { return 0, io.EOF }
func (r *remapFeed) Close() error             { return nil }

// feed reads each source in turn (ogr2ogr's GeoJSON, or a register),
// converts each feature to the format's fields, and hands it to fn with
// its index in the layer. A source that cannot be read ends the read with
// its error, naming it.
func (r *remapFeed) feed(cr *collectionReader, fn func(i int, f *rawFeature, tr *transform) error) error {
	epsg := 0
	if len(r.srcs) > 0 {
		epsg = r.srcs[0].EPSG
	}
	for _, s := range r.srcs[1:] {
		if s.EPSG != epsg {
			return planner.FieldErrorf(s.Name, "its CRS (EPSG:%d) differs from %s's (EPSG:%d); the sources of one layer (%s) must share a CRS", s.EPSG, r.srcs[0].Name, epsg, r.layer)
		}
	}
	var tr *transform
	var err error
	if epsg != 0 {
		tr, err = cr.transform(fmt.Sprintf("EPSG:%d", epsg), true)
	} else {
		tr, err = cr.transform("", false)
	}
	if err != nil {
		cr.errs.add(r.file+": crs", "%v", err)
		return nil
	}
	n := 0
	for _, s := range r.srcs {
		n0 := n
		conv := newConverter(r.layer, s, r.towns)
		conv.fault = func(i int, f fault) { r.loc.addFault(r.file, n0+i, f) }
		r.loc.begin(r.file, segment{start: n, name: s.Name, columns: conv.columns, rowBase: s.RowBase})
		errs := &collector{max: 1}
		stop := false
		each := func(out *rawFeature) error {
			k := n
			n++
			if err := fn(k, out, tr); err != nil {
				return err
			}
			if cr.errs.atCap() {
				stop = true
				return errStop
			}
			return nil
		}
		var err, cerr error
		if s.OpenFeatures != nil {
			err, cerr = readAhead(s, conv, prepare(r.layer, tr, cr.opt.MaxVertices), each)
		} else {
			rc, oerr := s.Open()
			if oerr != nil {
				return planner.FieldErrorf(s.Name, "%v", oerr)
			}
			src := &collectionReader{file: s.Name, errs: errs}
			err = src.read(rc, func(i int, f *rawFeature, _ *transform) error {
				out, err := conv.feature(f, i)
				if err != nil {
					return err
				}
				return each(out)
			})
			cerr = rc.Close()
		}
		if errors.Is(err, errStop) {
			err = nil
		}
		switch {
		case stop:
			return nil
		case err != nil:
			return err
		case len(errs.errs) > 0:
			if cerr != nil {
				return planner.FieldErrorf(s.Name, "%v", cerr)
			}
			return errs.errs[0]
		case cerr != nil:
			return planner.FieldErrorf(s.Name, "%v", cerr)
		}
	}
	return nil
}

// errStop ends a source's read early (the validator's error cap).
var errStop = errors.New("dataset: stop")

// Pipe runs write in a goroutine and returns the reading end of what it
// writes; write's error reaches the reader. Close stops the writer (its
// writes then fail with io.ErrClosedPipe) and waits for it to return.
func Pipe(write func(w io.Writer) error) io.ReadCloser {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(write(pw))
	}()
	return &pipeStream{PipeReader: pr, done: done}
}

type pipeStream struct {
	*io.PipeReader
	done chan struct{}
}

func (p *pipeStream) Close() error {
	p.PipeReader.Close()
	<-p.done
	return nil
}
