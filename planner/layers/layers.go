// Package layers defines each feature layer of a plan once: its features,
// the geometry rule and the properties, in order. The CLI's plan files
// (`parkplan solve --out`), the plan rows the OGC API serves (data writes
// them from Plan when a plan is saved, and reads its collections' property
// lists from PlanLayers) and the GeoPackage and Shapefile exports (read
// from those collections) all come from here, so every format carries the
// same features with the same properties (docs/architecture.md).
//
// Geometries are orb values in lon/lat degrees (EPSG:4490). Units are as
// the property names say (mu, m², metres, 10,000 yuan).
package layers

import (
	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// The plan layers, by name: the files' base names (parks.geojson) and the
// suffixes of the OGC collections ("{scenario}.parks").
const (
	Parks       = "parks"
	Assignments = "assignments"
	Unplaced    = "unplaced"
	Towns       = "towns"
)

// Property value types, as JSON names them.
const (
	String  = "string"
	Number  = "number"
	Integer = "integer"
	Boolean = "boolean"
)

// Prop is one property of a layer's features.
type Prop struct {
	Name string
	Type string // String, Number, Integer, Boolean or Array
	Desc string // meaning and unit
	// DBF is the column's name in a Shapefile's DBF (at most 10 bytes),
	// set where Name is longer.
	DBF string
}

// DBFName returns the property's column name in a Shapefile's DBF.
func (p Prop) DBFName() string {
	if p.DBF != "" {
		return p.DBF
	}
	return p.Name
}

// Layer describes a layer: what its features are and carry.
type Layer struct {
	Name        string
	Title       string
	Description string
	// GeometryType is the GeoJSON type of every feature's geometry:
	// MultiPolygon, LineString or Point.
	GeometryType string
	// IDDesc says what a feature's id is ("parcel id", "town-year").
	IDDesc string
	// Props are the properties, in the order features carry them.
	Props []Prop
}

// Feature is one feature of a layer.
type Feature struct {
	ID string
	// Geometry is of the layer's GeometryType; nil when what the feature
	// stands for has no geometry in the dataset.
	Geometry orb.Geometry
	// Values holds one value per Layer.Props, in that order: string,
	// float64, int or bool as the property's Type says ([]string for
	// Array), or nil for a null.
	Values []any
}

// Collection is a layer with its features, in id order.
type Collection struct {
	Layer
	Features []Feature
}

// PlanLayers returns the plan layers' descriptions, in the order Plan
// returns them: parks, assignments, unplaced, towns.
func PlanLayers() []Layer {
	specs := planSpecs()
	out := make([]Layer, len(specs))
	for i, s := range specs {
		out[i] = s.layer()
	}
	return out
}

// Plan builds plan's layers from ds, the dataset the plan was built on:
// parks, assignments, unplaced, towns. A park, firm or town that ds does
// not hold gives a feature with nil geometry and zero values for what ds
// would have said.
func Plan(ds *planner.Dataset, plan *planner.Plan) []Collection {
	src := newSource(ds)
	specs := planSpecs()
	out := make([]Collection, len(specs))
	for i, s := range specs {
		out[i] = s.build(src, plan)
	}
	return out
}

// planSpecs lists the plan layers' definitions.
func planSpecs() []builder {
	return []builder{parksSpec(), assignmentsSpec(), unplacedSpec(), townsSpec()}
}

// source indexes the dataset records the plan layers read.
type source struct {
	parcels map[string]*planner.Parcel
	firms   map[string]*planner.Enterprise
	towns   map[string]*planner.Town
}

func newSource(ds *planner.Dataset) *source {
	s := &source{parcels: map[string]*planner.Parcel{}, firms: map[string]*planner.Enterprise{}, towns: map[string]*planner.Town{}}
	for i := range ds.Parcels {
		s.parcels[ds.Parcels[i].ID] = &ds.Parcels[i]
	}
	for i := range ds.Enterprises {
		s.firms[ds.Enterprises[i].ID] = &ds.Enterprises[i]
	}
	for i := range ds.Towns {
		s.towns[ds.Towns[i].Code] = &ds.Towns[i]
	}
	return s
}

// builder is one layer's definition, whatever its row type.
type builder interface {
	layer() Layer
	build(*source, *planner.Plan) Collection
}

// spec defines a layer whose features come from rows of type T: the rows,
// each row's id and geometry, and the properties with how each is read
// from a row (fields), so a property's name and its value are written
// side by side, once.
type spec[T any] struct {
	Layer
	rows   func(*source, *planner.Plan) []T
	id     func(*T) string
	geom   func(*T) orb.Geometry
	fields []field[T]
}

// field is one property and how a row gives its value.
type field[T any] struct {
	Prop
	value func(*T) any
}

func text[T any](name, desc string, v func(*T) string) field[T] {
	return field[T]{Prop{Name: name, Type: String, Desc: desc}, func(r *T) any { return v(r) }}
}

func number[T any](name, desc string, v func(*T) float64) field[T] {
	return field[T]{Prop{Name: name, Type: Number, Desc: desc}, func(r *T) any { return v(r) }}
}

func integer[T any](name, desc string, v func(*T) int) field[T] {
	return field[T]{Prop{Name: name, Type: Integer, Desc: desc}, func(r *T) any { return v(r) }}
}

func boolean[T any](name, desc string, v func(*T) bool) field[T] {
	return field[T]{Prop{Name: name, Type: Boolean, Desc: desc}, func(r *T) any { return v(r) }}
}

// dbf names the field's column in a Shapefile's DBF (≤ 10 bytes).
func (f field[T]) dbf(name string) field[T] {
	f.DBF = name
	return f
}

func (s spec[T]) layer() Layer {
	l := s.Layer
	l.Props = make([]Prop, len(s.fields))
	for i, f := range s.fields {
		l.Props[i] = f.Prop
	}
	return l
}

func (s spec[T]) build(src *source, plan *planner.Plan) Collection {
	rows := s.rows(src, plan)
	c := Collection{Layer: s.layer(), Features: make([]Feature, len(rows))}
	for i := range rows {
		r := &rows[i]
		vals := make([]any, len(s.fields))
		for j, f := range s.fields {
			vals[j] = f.value(r)
		}
		c.Features[i] = Feature{ID: s.id(r), Geometry: s.geom(r), Values: vals}
	}
	return c
}

// multiPolygon returns mp as a geometry, nil when empty.
func multiPolygon(mp orb.MultiPolygon) orb.Geometry {
	if len(mp) == 0 {
		return nil
	}
	return mp
}
