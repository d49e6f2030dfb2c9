package data

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	planlayers "github.com/parkplan/parkplan/planner/layers"
)

// planLayerTable is where a plan layer's features are kept: one row per
// feature, one column per property of the layer (named as the property),
// and geom. The names are SQL identifiers from this allow-list only.
type planLayerTable struct {
	table, alias string
	// fid, order and key are SQL over alias: the feature id (as
	// planlayers.Plan makes it), the features' order, and the condition
	// selecting feature {id}.
	fid, order, key string
}

// planLayerTableOf returns the table of plan layer name; it panics on a
// name planner/layers does not define (a programmer error).
func planLayerTableOf(name string) planLayerTable {
	switch name {
	case planlayers.Parks:
		return planLayerTable{table: "plan_park", alias: "pp", fid: "pp.parcel_id", order: "pp.parcel_id", key: "pp.parcel_id = {id}"}
	case planlayers.Assignments:
		return planLayerTable{table: "plan_assignment", alias: "pa", fid: "pa.enterprise_id", order: "pa.enterprise_id", key: "pa.enterprise_id = {id}"}
	case planlayers.Unplaced:
		return planLayerTable{table: "plan_unplaced", alias: "pu", fid: "pu.enterprise_id", order: "pu.enterprise_id", key: "pu.enterprise_id = {id}"}
	case planlayers.Towns:
		return planLayerTable{table: "plan_town", alias: "pt", fid: "pt.town || '-' || pt.year", order: "pt.town, pt.year",
			key: "pt.town || '-' || pt.year = {id}"}
	}
	panic(fmt.Sprintf("data: no table for plan layer %q", name))
}

// planFeatureLayers returns the scenario collections of the plan layers:
// name, title, geometry type and properties from planner/layers, read
// from the columns writePlanLayers wrote. Scenario layers read only the
// plan's own rows, which carry the geometry and figures of the dataset
// revision the plan was built on (migration 00045): a later import
// changes none of them.
func planFeatureLayers() []featureLayer {
	var out []featureLayer
	for _, l := range planlayers.PlanLayers() {
		t := planLayerTableOf(l.Name)
		fl := featureLayer{name: l.Name, title: l.Title, desc: l.Description, scenario: true, geomType: l.GeometryType,
			from: t.table + " " + t.alias, fid: t.fid, geom: t.alias + ".geom", order: t.order,
			where:   t.alias + ".scenario_id = {sc}",
			idMatch: t.alias + ".scenario_id = {sc} and " + t.key}
		for _, p := range l.Props {
			fl.props = append(fl.props, featureProp{name: p.Name, expr: t.alias + "." + p.Name, typ: p.Type, desc: p.Desc})
		}
		out = append(out, fl)
	}
	return out
}

// writePlanLayers writes plan's layers (planlayers.Plan on the stored
// dataset, which checkRevision has found to be the one the plan was
// built on) into their tables for scenario id, by COPY.
func writePlanLayers(ctx context.Context, tx *sql.Tx, id string, plan *planner.Plan) error {
	ds, err := loadLayers(ctx, tx)
	if err != nil {
		return fmt.Errorf("scenario %s: reading the dataset for the plan layers: %w", id, err)
	}
	for _, c := range planlayers.Plan(ds, plan) {
		cols := make([]string, 0, len(c.Props)+2)
		cols = append(cols, "scenario_id")
		for _, p := range c.Props {
			cols = append(cols, p.Name)
		}
		cols = append(cols, "geom")
		var geomErr error
		err := copyRows(ctx, tx, planLayerTableOf(c.Name).table, cols, len(c.Features), func(i int) []any {
			f := &c.Features[i]
			row := make([]any, 0, len(cols))
			row = append(row, id)
			row = append(row, f.Values...)
			g, err := geometryEWKBHex(f.Geometry)
			if err != nil && geomErr == nil {
				geomErr = fmt.Errorf("scenario %s: layer %s, feature %s: %w", id, c.Name, f.ID, err)
			}
			return append(row, g)
		})
		if geomErr != nil {
			return geomErr
		}
		if err != nil {
			return fmt.Errorf("scenario %s: saving layer %s: %w", id, c.Name, err)
		}
	}
	return nil
}

// loadPlanSources reads what the plan layers read of the dataset: the
// towns, the plan's parks' parcels and the enterprises (not the
// protected land, quotas or the other parcels).
func loadPlanSources(ctx context.Context, tx *sql.Tx, plan *planner.Plan) (*planner.Dataset, error) {
	ds := &planner.Dataset{}
	var err error
	if ds.Towns, err = loadTowns(ctx, tx); err != nil {
		return nil, err
	}
	ids := make([]string, len(plan.Parks))
	for i, p := range plan.Parks {
		ids[i] = p.ParcelID
	}
	if err := eachParcelOf(ctx, tx, func(x *planner.Parcel) error { ds.Parcels = append(ds.Parcels, *x); return nil },
		sqlLoadParcelsIn, pq.Array(ids)); err != nil {
		return nil, err
	}
	err = eachEnterprise(ctx, tx, func(x *planner.Enterprise) error { ds.Enterprises = append(ds.Enterprises, *x); return nil })
	return ds, err
}

// geometryEWKBHex encodes a plan layer's geometry as hex EWKB (SRID
// 4490) for COPY; nil gives a NULL.
func geometryEWKBHex(g orb.Geometry) (any, error) {
	switch g := g.(type) {
	case nil:
		return nil, nil
	case orb.MultiPolygon:
		return multiPolygonEWKBHex(g)
	case orb.Point:
		return pointEWKBHex(g)
	case orb.LineString:
		return lineStringEWKBHex(g)
	}
	return nil, fmt.Errorf("geometry type %s is not stored in a plan layer", g.GeoJSONType())
}
