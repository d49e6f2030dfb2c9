package dataset

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parkplan/parkplan/planner"
)

// Layer names of a mapping file, one per GeoJSON layer of the format.
const (
	LayerTowns       = "towns"
	LayerParcels     = "parcels"
	LayerProtected   = "protected"
	LayerEnterprises = "enterprises"
)

// mappedLayers lists the layers in read order with their dataset file.
var mappedLayers = []struct{ name, file string }{
	{LayerTowns, FileTowns},
	{LayerParcels, FileParcels},
	{LayerProtected, FileProtected},
	{LayerEnterprises, FileEnterprises},
}

// Mapping says where each layer of a dataset comes from when the county's
// own files are imported (GeoPackage, Shapefile, File Geodatabase, an
// enterprise register): which source and layer, and which column feeds
// each field of docs/data-format.md. It is read from YAML
// (docs/import.md); `parkplan import --suggest-mapping` writes one.
type Mapping struct {
	// Source is the default file of every layer (GeoPackage, Shapefile,
	// .gdb directory, .xlsx or .csv), relative to the mapping file.
	Source string `yaml:"source,omitempty"`
	// Industries and Quotas are CSV files in parkplan's format
	// (docs/data-format.md), relative to the mapping file.
	Industries string `yaml:"industries"`
	Quotas     string `yaml:"quotas"`
	// Layers maps towns, parcels, protected and enterprises to their
	// sources; a layer may come from several (protected land usually
	// arrives as one layer per kind).
	Layers map[string][]LayerMapping `yaml:"layers"`

	dir string // directory the relative paths are read from
}

// LayerMapping is one source layer of a dataset layer.
type LayerMapping struct {
	Source string `yaml:"source,omitempty"` // file; default Mapping.Source
	Layer  string `yaml:"layer,omitempty"`  // layer (or sheet) in it; default the only one
	// CRS of the coordinates, only for a source that declares none (a
	// Shapefile without .prj); a declared CRS that disagrees is an error.
	CRS string `yaml:"crs,omitempty"`
	// Encoding of a Shapefile's DBF when no .cpg says it: GBK, GB18030 or
	// UTF-8 (a .cpg that says otherwise is an error).
	Encoding string `yaml:"encoding,omitempty"`
	// Columns names the source column of each field (field: column).
	// Fields not named are looked up among the usual names (mapping_fields.go).
	Columns map[string]string `yaml:"columns,omitempty"`
	// Values maps a source value to the field's value (e.g. kind: {新增建设用地: new_land}).
	Values map[string]map[string]string `yaml:"values,omitempty"`
	// Defaults gives a field's value when its column is missing or empty.
	Defaults map[string]any `yaml:"defaults,omitempty"`
	// Scale multiplies a numeric column (e.g. area_mu: 0.0015 for m² → mu).
	Scale map[string]float64 `yaml:"scale,omitempty"`
	// Coordinates names the frame of lon/lat columns of a register:
	// wgs84 (default), gcj02 or bd09.
	Coordinates string `yaml:"coordinates,omitempty"`
}

// LoadMapping reads a mapping file and checks its layer and field names.
func LoadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, planner.FieldErrorf(path, "%v", err)
	}
	m := &Mapping{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil {
		return nil, planner.FieldErrorf(path, "invalid mapping: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	m.dir = filepath.Dir(path)
	if err := m.check(path); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Mapping) check(path string) error {
	var errs Errors
	bad := func(field, format string, args ...any) {
		errs = append(errs, planner.FieldErrorf(path+": "+field, format, args...))
	}
	if m.Industries == "" {
		bad("industries", "missing: name the industries CSV (code,name_zh,name_en,related)")
	}
	if m.Quotas == "" {
		bad("quotas", "missing: name the quotas CSV (town,year,new_land_mu)")
	}
	for name := range m.Layers {
		if fieldsOf(name) == nil {
			bad("layers."+name, "unknown layer; the layers are towns, parcels, protected and enterprises")
		}
	}
	for _, l := range mappedLayers {
		srcs := m.Layers[l.name]
		if len(srcs) == 0 {
			bad("layers."+l.name, "missing: every layer needs a source")
		}
		for i, s := range srcs {
			at := fmt.Sprintf("layers.%s[%d]", l.name, i)
			if s.Source == "" && m.Source == "" {
				bad(at+".source", "missing, and no top-level source")
			}
			for _, f := range sortedNames(s.Columns) {
				if fieldOf(l.name, f) == nil {
					bad(at+".columns."+f, "%s has no field %q (fields: %s)", l.name, f, fieldNames(l.name))
				}
			}
			for _, f := range sortedNames(s.Values) {
				if fieldOf(l.name, f) == nil {
					bad(at+".values."+f, "%s has no field %q", l.name, f)
				}
			}
			for _, f := range sortedNames(s.Defaults) {
				if fieldOf(l.name, f) == nil {
					bad(at+".defaults."+f, "%s has no field %q", l.name, f)
				}
			}
			for _, f := range sortedNames(s.Scale) {
				if fs := fieldOf(l.name, f); fs == nil || (fs.kind != kindNumber) {
					bad(at+".scale."+f, "%s has no numeric field %q", l.name, f)
				}
			}
			switch strings.ToLower(s.Coordinates) {
			case "", coordWGS84, coordGCJ02, coordBD09:
			default:
				bad(at+".coordinates", "is %q; it must be wgs84, gcj02 or bd09", s.Coordinates)
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Frames of lon/lat columns in a register.
const (
	coordWGS84 = "wgs84"
	coordGCJ02 = "gcj02"
	coordBD09  = "bd09"
)

// Path resolves a file named in the mapping against its directory.
func (m *Mapping) Path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(m.dir, p)
}

// SourceOf returns the file a layer mapping reads.
func (m *Mapping) SourceOf(l LayerMapping) string {
	if l.Source != "" {
		return m.Path(l.Source)
	}
	return m.Path(m.Source)
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
