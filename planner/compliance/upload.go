package compliance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// Proposed is one parcel of an uploaded FeatureCollection: land the bureau
// is asked to approve. Geometry is in lon/lat degrees (EPSG:4490), already
// converted from a declared projected CRS; its topology (self-intersection,
// holes) is not checked here but by PostGIS, which names what is wrong.
type Proposed struct {
	ID       string
	Town     string
	Kind     planner.ParcelKind
	Name     string
	OpenYear int     // 0 when the upload gives none
	AreaMu   float64 // area_mu as uploaded, or computed (geo.AreaMu) when absent
	Geometry orb.MultiPolygon
}

// Upload limits. An upload is a proposal, not a dataset: a few hundred
// parcels at most; more is a mistake (a whole parcel layer sent by error).
const (
	MaxUploadBytes    = 32 << 20
	MaxUploadFeatures = 5000
	// uploadAreaTolerance: area_mu may differ from the geometry's area by
	// 1 %, as in the import (planner/dataset).
	uploadAreaTolerance = 0.01
)

// China's extent (EPSG:4490 area of use), degrees: a lon/lat position
// outside it means a wrong or undeclared CRS, or swapped axes.
const (
	chinaMinLon, chinaMaxLon = 73.62, 134.77
	chinaMinLat, chinaMaxLat = 16.70, 53.56
)

// ReadProposed reads an uploaded GeoJSON FeatureCollection of proposed
// parcels named file (for messages) and validates it as the import does:
// every feature a Polygon or MultiPolygon with closed rings of four or more
// finite positions inside China, properties id (unique, non-empty), town
// (one of towns), kind (new_land, old_factory, existing or
// under_construction), optional name, open_year (integer or null) and
// area_mu (> 0, within 1 % of the geometry's area). A projected CRS must
// be declared by the "crs" member (EPSG:4549 or EPSG:4528) and is converted
// to lon/lat. It returns a dataset.Errors value (code EINVALID, each naming
// file, feature index, id, field and value) listing at most
// dataset.DefaultMaxErrors problems. Ring topology is left to PostGIS.
func ReadProposed(r io.Reader, file string, towns map[string]bool) ([]Proposed, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxUploadBytes+1))
	if err != nil {
		return nil, planner.FieldErrorf(file, "cannot read: %v", err)
	}
	if len(raw) > MaxUploadBytes {
		return nil, planner.FieldErrorf(file, "larger than %d MB; send the proposed parcels only", MaxUploadBytes>>20)
	}
	if !utf8.Valid(raw) {
		return nil, planner.FieldErrorf(file, "is not UTF-8; save it as UTF-8 (GBK/GB18030 is not accepted)")
	}
	var fc struct {
		Type     string          `json:"type"`
		CRS      json.RawMessage `json:"crs"`
		Features []struct {
			Type       string                     `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
			Geometry   json.RawMessage            `json:"geometry"`
		} `json:"features"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&fc); err != nil {
		return nil, planner.FieldErrorf(file, "not a GeoJSON FeatureCollection: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, planner.FieldErrorf(file+": type", "is %q; upload a FeatureCollection of parcels", fc.Type)
	}
	if len(fc.Features) == 0 {
		return nil, planner.FieldErrorf(file+": features", "is empty; there is nothing to check")
	}
	if len(fc.Features) > MaxUploadFeatures {
		return nil, planner.FieldErrorf(file+": features", "has %d features; at most %d a check", len(fc.Features), MaxUploadFeatures)
	}
	epsg := geo.EPSG4490
	declared := false
	if len(fc.CRS) > 0 && string(fc.CRS) != "null" {
		var c struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(fc.CRS, &c); err != nil || c.Properties.Name == "" {
			return nil, planner.FieldErrorf(file+": crs", "must be {\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4549\"}}")
		}
		code, err := dataset.ParseCRS(c.Properties.Name)
		if err != nil {
			return nil, planner.FieldErrorf(file+": crs", "%v", err)
		}
		epsg, declared = code, true
	}
	var errs dataset.Errors
	bad := func(field, format string, args ...any) {
		if len(errs) < dataset.DefaultMaxErrors {
			errs = append(errs, planner.FieldErrorf(field, format, args...))
		}
	}
	seen := map[string]int{}
	var out []Proposed
	for i, f := range fc.Features {
		where := fmt.Sprintf("%s: feature %d", file, i)
		if f.Type != "Feature" {
			bad(where+": type", "is %q; each member of features must be a Feature", f.Type)
			continue
		}
		p := Proposed{}
		str := func(key string, required bool) string {
			v, ok := f.Properties[key]
			if !ok || string(v) == "null" {
				if required {
					bad(where+": properties."+key, "missing")
				}
				return ""
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				bad(where+": properties."+key, "is %s; it must be a string", v)
			}
			return s
		}
		p.ID = str("id", true)
		if p.ID != "" {
			where = fmt.Sprintf("%s: feature %d (id %s)", file, i, p.ID)
			if first, dup := seen[p.ID]; dup {
				bad(where+": properties.id", "duplicate id %q: feature %d has it too", p.ID, first)
			}
			seen[p.ID] = i
		} else if _, ok := f.Properties["id"]; ok {
			bad(where+": properties.id", "is empty; every parcel needs an id")
		}
		p.Town = str("town", true)
		if p.Town != "" && !towns[p.Town] {
			bad(where+": properties.town", "unknown town %q (not in the loaded dataset)", p.Town)
		}
		p.Kind = planner.ParcelKind(str("kind", true))
		if p.Kind != "" && !p.Kind.Valid() {
			bad(where+": properties.kind", "is %q; it must be new_land, old_factory, existing or under_construction", p.Kind)
		}
		p.Name = str("name", false)
		if v, ok := f.Properties["open_year"]; ok && string(v) != "null" {
			y, err := strconv.Atoi(string(v))
			if err != nil || y < 1949 || y > 2100 {
				bad(where+": properties.open_year", "is %s; it must be a year (integer) or null", v)
			}
			p.OpenYear = y
		}
		var area float64
		hasArea := false
		if v, ok := f.Properties["area_mu"]; ok && string(v) != "null" {
			if err := json.Unmarshal(v, &area); err != nil || !(area > 0) || math.IsInf(area, 0) {
				bad(where+": properties.area_mu", "is %s; an area in mu must be a number > 0", v)
			} else {
				hasArea = true
			}
		}
		mp, msg := proposedGeometry(f.Geometry, epsg, declared)
		if msg != "" {
			bad(where+": geometry", "%s", msg)
			continue
		}
		p.Geometry = mp
		computed := geo.AreaMu(mp)
		p.AreaMu = computed
		if hasArea {
			if math.Abs(area-computed) > uploadAreaTolerance*computed {
				bad(where+": properties.area_mu", "is %v but the geometry's area is %.3f mu (%.1f %% apart, more than 1 %%): fix area_mu or leave it out",
					area, computed, 100*math.Abs(area-computed)/computed)
			}
			p.AreaMu = area
		}
		out = append(out, p)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// proposedGeometry decodes a Polygon or MultiPolygon, checks its rings'
// structure and converts it to lon/lat. It returns "" or what is wrong.
func proposedGeometry(raw json.RawMessage, epsg int, declared bool) (orb.MultiPolygon, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "missing; a parcel needs a Polygon or MultiPolygon"
	}
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil {
		return nil, fmt.Sprintf("cannot be read: %v", err)
	}
	var mp orb.MultiPolygon
	switch v := g.Geometry().(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{v}
	case orb.MultiPolygon:
		mp = v
	default:
		return nil, fmt.Sprintf("is a %s; a parcel must be a Polygon or MultiPolygon", g.Geometry().GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, "is empty"
	}
	for pi, poly := range mp {
		if len(poly) == 0 {
			return nil, fmt.Sprintf("polygon %d has no rings", pi)
		}
		for ri, ring := range poly {
			at := fmt.Sprintf("polygon %d ring %d", pi, ri)
			if len(ring) < 4 {
				return nil, fmt.Sprintf("%s has %d positions; a ring needs at least 4 (closed)", at, len(ring))
			}
			if ring[0] != ring[len(ring)-1] {
				return nil, fmt.Sprintf("%s is not closed: first position %v, last %v", at, ring[0], ring[len(ring)-1])
			}
			for vi, pt := range ring {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
					return nil, fmt.Sprintf("%s vertex %d is not a finite number", at, vi)
				}
				if !declared && (math.Abs(pt[0]) > 180 || math.Abs(pt[1]) > 90) {
					return nil, fmt.Sprintf("%s vertex %d (%v, %v) is not lon/lat: projected coordinates need a declared CRS (\"crs\": EPSG:4549 or EPSG:4528)", at, vi, pt[0], pt[1])
				}
			}
		}
	}
	if declared && epsg != geo.EPSG4490 && epsg != geo.EPSG4326 {
		conv := orb.Clone(mp).(orb.MultiPolygon)
		out, err := geo.ToLonLat(conv, epsg)
		if err != nil {
			return nil, err.Error()
		}
		mp = out.(orb.MultiPolygon)
	}
	for _, poly := range mp {
		for _, ring := range poly {
			for vi, pt := range ring {
				if pt[0] < chinaMinLon || pt[0] > chinaMaxLon || pt[1] < chinaMinLat || pt[1] > chinaMaxLat {
					return nil, fmt.Sprintf("vertex %d at lon %.6f lat %.6f lies outside China: wrong CRS, or lat/lon swapped?", vi, pt[0], pt[1])
				}
			}
		}
	}
	return mp, ""
}
