package ogr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// Sources opens every source a mapping names: it lists each file's layers
// (ogrinfo), finds the mapped layer, reads its CRS from its WKT or .prj
// (dataset.CRSFromWKT; the mapping's crs only where the source has
// none), settles a Shapefile's DBF encoding (ShapefileEncoding), and
// returns streams for dataset.ReadSources. Nothing is read yet.
//
// GIS layers whose columns all have a binary form (BinaryFields) are read
// from GDAL's PostgreSQL dump (EWKB geometries), one ogr2ogr process for
// all such layers of a source (a GeoPackage, a File Geodatabase, the
// Shapefiles of one directory with the same open options: dumpRun); the
// others through Stream (GeoJSON text). Sources.Start starts those
// processes; Sources.Close stops what was not read.
func Sources(ctx context.Context, m *dataset.Mapping) (dataset.Sources, error) {
	return sources(ctx, m, true)
}

// sources is Sources; binary false reads every layer as GeoJSON text
// (the benchmark's comparison).
func sources(ctx context.Context, m *dataset.Mapping, binary bool) (dataset.Sources, error) {
	src := dataset.Sources{
		Industries: m.Path(m.Industries),
		Quotas:     m.Path(m.Quotas),
		Layers:     map[string][]dataset.LayerSource{},
	}
	var errs dataset.Errors
	seen := inspectAll(ctx, m) // ogrinfo once per file and open options, all at once
	runs := &dumpRuns{ctx: ctx, byKey: map[string]*dumpRun{}}
	src.Start, src.Close = runs.start, runs.close
	for _, name := range []string{dataset.LayerTowns, dataset.LayerParcels, dataset.LayerProtected, dataset.LayerEnterprises} {
		for i, lm := range m.Layers[name] {
			ls, err := openLayer(ctx, m.SourceOf(lm), lm, seen, binary, runs)
			if err != nil {
				errs = append(errs, planner.FieldErrorf(fmt.Sprintf("layers.%s[%d]", name, i), "%v", err))
				continue
			}
			src.Layers[name] = append(src.Layers[name], ls)
		}
	}
	if len(errs) > 0 {
		return src, errs
	}
	return src, nil
}

// isRegister reports whether path is an office file, not a GIS source.
func isRegister(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".csv":
		return true
	}
	return false
}

// openLayer prepares one mapped source layer.
func openLayer(ctx context.Context, path string, lm dataset.LayerMapping, seen map[string][]Layer, binary bool, runs *dumpRuns) (dataset.LayerSource, error) {
	if _, err := os.Stat(path); err != nil {
		return dataset.LayerSource{}, fmt.Errorf("source %s: %v", path, err)
	}
	if isRegister(path) {
		return openRegister(path, lm)
	}
	opts, shp, err := gdalOptions(path, lm)
	if err != nil {
		return dataset.LayerSource{}, err
	}
	key := inspectKey(path, opts)
	layers, ok := seen[key]
	if !ok {
		var err error
		if layers, err = Inspect(ctx, path, opts...); err != nil {
			return dataset.LayerSource{}, err
		}
		seen[key] = layers
	}
	l, err := pickLayer(path, lm.Layer, layers)
	if err != nil {
		return dataset.LayerSource{}, err
	}
	name := filepath.Base(path)
	if len(layers) > 1 || shp == "" {
		name += ", layer " + l.Name
	}
	epsg, err := layerCRS(path, shp, l, lm.CRS)
	if err != nil {
		return dataset.LayerSource{}, fmt.Errorf("%s: %v", name, err)
	}
	layer := l.Name
	ls := dataset.LayerSource{
		Name:    name,
		Open:    func() (io.ReadCloser, error) { return Stream(ctx, path, layer, opts...) },
		EPSG:    epsg,
		Columns: l.Columns(),
		Map:     lm,
	}
	if binary && BinaryFields(l) {
		if ls.OpenFeatures, err = runs.add(path, shp, l, opts); err != nil {
			return dataset.LayerSource{}, err
		}
	}
	return ls, nil
}

// dumpRuns are the ogr2ogr runs of a mapping's binary layers, one per
// data source and open options.
type dumpRuns struct {
	ctx   context.Context
	byKey map[string]*dumpRun
	all   []*dumpRun
}

// add gives layer l of the source at path (shp: the .shp it is, if one)
// a place in its source's run and returns its opener. A Shapefile shares
// the run of its directory; a layer whose name a run already has, or that
// cannot share one (sharedName), gets a run of its own. A layer opened
// out of its run's order gets a process of its own then.
func (rs *dumpRuns) add(path, shp string, l Layer, opts []string) (func() (dataset.FeatureStream, error), error) {
	source := path
	if shp != "" {
		source = filepath.Dir(shp)
	}
	key := inspectKey(source, opts)
	r := rs.byKey[key]
	if r == nil || !sharedName(l.Name) || r.has(l.Name) {
		r = newDumpRun(rs.ctx, source, opts)
		if shp != "" && !sharedName(l.Name) {
			r.source = path
		}
		if sharedName(l.Name) {
			rs.byKey[key] = r
		}
		rs.all = append(rs.all, r)
	}
	s, err := r.add(l, fmt.Sprintf("ogr2ogr %s %s", path, l.Name))
	if err != nil {
		return nil, err
	}
	ctx, i := rs.ctx, s.index
	return func() (dataset.FeatureStream, error) {
		fs, err := r.open(i)
		if errors.Is(err, errOutOfOrder) {
			return StreamFeatures(ctx, path, l, opts...)
		}
		return fs, err
	}, nil
}

// start starts every run (their processes then wait on their pipes until
// read): GDAL's start-up overlaps the rest of the import's.
func (rs *dumpRuns) start() {
	for _, r := range rs.all {
		r.begin()
	}
}

// close stops every run; a run read to its end has stopped already.
func (rs *dumpRuns) close() error {
	for _, r := range rs.all {
		r.close()
	}
	return nil
}

// gdalOptions returns the GDAL open options of a mapped layer's source
// (a Shapefile's DBF encoding) and the .shp it reads ("" if none).
func gdalOptions(path string, lm dataset.LayerMapping) (opts []string, shp string, err error) {
	shp = shapefileOf(path, lm.Layer)
	if shp != "" {
		opt, _, err := ShapefileEncoding(shp, lm.Encoding)
		if err != nil {
			return nil, "", err
		}
		if opt != "" {
			opts = append(opts, opt)
		}
	}
	return opts, shp, nil
}

func inspectKey(path string, opts []string) string {
	return path + "\x00" + strings.Join(opts, "\x00")
}

// inspectAll runs ogrinfo on every GIS source of m at once (each run is
// mostly GDAL's start-up) and returns the layers by inspectKey; a source
// that fails is left out, for openLayer to inspect again and report. The
// Shapefiles of one directory with the same open options are listed by
// one run over the directory, naming their layers.
func inspectAll(ctx context.Context, m *dataset.Mapping) map[string][]Layer {
	type job struct {
		path   string
		opts   []string
		keys   []string // for a directory of Shapefiles: the key of each layer's .shp
		layers []string // and its layer
	}
	jobs := map[string]*job{}
	for _, name := range []string{dataset.LayerTowns, dataset.LayerParcels, dataset.LayerProtected, dataset.LayerEnterprises} {
		for _, lm := range m.Layers[name] {
			path := m.SourceOf(lm)
			if isRegister(path) || !fileExists(path) {
				continue
			}
			opts, shp, err := gdalOptions(path, lm)
			if err != nil {
				continue
			}
			key := inspectKey(path, opts)
			if shp == "" || shp != path {
				jobs[key] = &job{path: path, opts: opts}
				continue
			}
			dir := filepath.Dir(shp)
			dk := "dir\x00" + inspectKey(dir, opts)
			j := jobs[dk]
			if j == nil {
				j = &job{path: dir, opts: opts}
				jobs[dk] = j
			}
			layer := strings.TrimSuffix(filepath.Base(shp), filepath.Ext(shp))
			if !slices.Contains(j.keys, key) {
				j.keys, j.layers = append(j.keys, key), append(j.layers, layer)
			}
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	seen := map[string][]Layer{}
	for key, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if j.keys == nil {
				if layers, err := Inspect(ctx, j.path, j.opts...); err == nil {
					mu.Lock()
					seen[key] = layers
					mu.Unlock()
				}
				return
			}
			layers, _ := inspectLayers(ctx, j.path, j.layers, j.opts...)
			mu.Lock()
			defer mu.Unlock()
			for i, k := range j.keys {
				for _, l := range layers {
					if l.Name == j.layers[i] {
						seen[k] = []Layer{l}
					}
				}
			}
		}()
	}
	wg.Wait()
	return seen
}

// shapefileOf returns the .shp a source reads ("" if it is not a
// Shapefile): path itself, or layer.shp in a directory of them.
func shapefileOf(path, layer string) string {
	if strings.EqualFold(filepath.Ext(path), ".shp") {
		return path
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() && !strings.EqualFold(filepath.Ext(path), ".gdb") && layer != "" {
		if p := filepath.Join(path, layer+".shp"); fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// pickLayer finds the mapped layer, or the only one when none is named.
func pickLayer(path, want string, layers []Layer) (Layer, error) {
	var names []string
	for _, l := range layers {
		if l.Name == want || (want == "" && len(layers) == 1) {
			return l, nil
		}
		names = append(names, l.Name)
	}
	sort.Strings(names)
	if want == "" {
		return Layer{}, fmt.Errorf("%s has %d layers (%s): name one with layer: in the mapping", path, len(layers), strings.Join(names, ", "))
	}
	return Layer{}, fmt.Errorf("%s has no layer %q; its layers are %s", path, want, strings.Join(names, ", "))
}

// layerCRS returns the EPSG code of a layer's coordinates: from its WKT
// (a Shapefile's .prj as GDAL reads it), or from the mapping's crs when
// the source declares none; both present must agree.
func layerCRS(path, shp string, l Layer, mapped string) (int, error) {
	var fromMap int
	if mapped != "" {
		code, err := dataset.ParseCRS(mapped)
		if err != nil {
			return 0, fmt.Errorf("crs in the mapping: %v", err)
		}
		fromMap = code
	}
	if strings.TrimSpace(l.WKT) == "" {
		if strings.EqualFold(l.Geometry, "None") {
			return 0, nil // a table: no coordinates
		}
		if fromMap != 0 {
			return fromMap, nil
		}
		if shp != "" {
			return 0, fmt.Errorf("no .prj beside %s, so the CRS of its coordinates is unknown: add the .prj the data came with, or set crs: (e.g. EPSG:4549) on this layer in the mapping", filepath.Base(shp))
		}
		return 0, fmt.Errorf("the layer declares no CRS: set crs: (e.g. EPSG:4549) on this layer in the mapping")
	}
	code, err := dataset.CRSFromWKT(l.WKT)
	if err != nil {
		what := "its CRS"
		if shp != "" {
			what = "its .prj"
		}
		return 0, fmt.Errorf("%s: %v", what, err)
	}
	if fromMap != 0 && fromMap != code {
		return 0, fmt.Errorf("the mapping says crs %s but the source declares EPSG:%d: they must agree (remove crs: from the mapping to use the source's)", mapped, code)
	}
	return code, nil
}

// Describe lists the layers of a county's source for a suggested
// mapping: a GeoPackage or File Geodatabase, one Shapefile, a register,
// or a directory of Shapefiles and registers.
func Describe(ctx context.Context, src string) ([]dataset.SourceLayer, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	var files []string
	if st.IsDir() && !strings.EqualFold(filepath.Ext(src), ".gdb") {
		for _, pat := range []string{"*.shp", "*.gpkg", "*.xlsx", "*.csv"} {
			m, _ := filepath.Glob(filepath.Join(src, pat))
			for _, f := range m {
				if b := filepath.Base(f); b != dataset.FileIndustries && b != dataset.FileQuotas {
					files = append(files, f) // parkplan's own CSVs are not registers
				}
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s holds no .shp, .gpkg, .xlsx or .csv", src)
		}
	} else {
		files = []string{src}
	}
	var out []dataset.SourceLayer
	for _, f := range files {
		if isRegister(f) {
			sheet, cols, err := registerColumns(f)
			if err != nil {
				return nil, err
			}
			out = append(out, dataset.SourceLayer{Source: f, Name: sheet, Geometry: "None", Columns: cols})
			continue
		}
		var opts []string
		if strings.EqualFold(filepath.Ext(f), ".shp") {
			opt, _, err := ShapefileEncoding(f, "")
			if err != nil {
				return nil, err
			}
			if opt != "" {
				opts = append(opts, opt)
			}
		}
		layers, err := Inspect(ctx, f, opts...)
		if err != nil {
			return nil, err
		}
		for _, l := range layers {
			out = append(out, dataset.SourceLayer{Source: f, Name: l.Name, Geometry: l.Geometry, Columns: l.Columns()})
		}
	}
	return out, nil
}
