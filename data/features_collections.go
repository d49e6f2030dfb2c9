package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// SQL of the collection listing.
const (
	// sqlScenarios lists scenarios with a saved plan: their layers are
	// collections. The status is not tested: a plan stays served while a
	// re-run is queued or running and after it fails or is cancelled,
	// until the next plan replaces it in one transaction (issue 10,
	// finding 2).
	sqlScenarios = `select id, name, published, updated_at from scenario
	where plan is not null and (published or $1) order by id`
	// sqlScenario reads one scenario with a saved plan.
	sqlScenario = `select id, name, published, updated_at from scenario
	where id = $1 and plan is not null and (published or $2)`
	// sqlEstimatedExtent reads a base table's extent from planner statistics (fast);
	// null before the table was analysed.
	sqlEstimatedExtent = `select ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
	from (select ST_EstimatedExtent('public', $1, 'geom')::box2d as b) e where b is not null`
	// sqlExtent computes a layer's extent exactly.
	sqlExtent = `select ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
	from (select ST_Extent({geom})::box2d as b from {from} where {where}) e where b is not null`
)

// scenarioRow is a solved scenario's listing.
type scenarioRow struct {
	id, name  string
	published bool
	updated   time.Time
}

// owner returns the scenario as the owner of its layers.
func (r *scenarioRow) owner() *layerOwner {
	return &layerOwner{prefix: r.id, arg: r.id, scenario: r.id, title: r.name, published: r.published, updated: r.updated}
}

// findScenario reads a solved scenario visible to the caller, or ENOTFOUND.
func (s *FeatureStore) findScenario(ctx context.Context, id string, unpublished bool) (*scenarioRow, error) {
	var r scenarioRow
	err := s.pool(ctx).QueryRowContext(ctx, sqlScenario, id, unpublished).Scan(&r.id, &r.name, &r.published, &r.updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
			Message: fmt.Sprintf("no solved scenario %q", id)}
	}
	if err != nil {
		return nil, fmt.Errorf("data: reading scenario %q: %w", id, err)
	}
	return &r, nil
}

// Collections lists the base layers, then each solved scenario's layers
// (published scenarios only unless unpublished), then, when unpublished
// (reviewer and planner roles), the restricted layers and each saved
// check's layers.
func (s *FeatureStore) Collections(ctx context.Context, unpublished bool) ([]planner.Collection, error) {
	var out []planner.Collection
	for _, l := range s.order {
		if l.scenario || l.check || l.year || l.province || l.restricted {
			continue
		}
		c, err := s.describe(ctx, l, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	rows, err := s.pool(ctx).QueryContext(ctx, sqlScenarios, unpublished)
	if err != nil {
		return nil, fmt.Errorf("data: listing scenarios: %w", err)
	}
	var scs []scenarioRow
	for rows.Next() {
		var r scenarioRow
		if err := rows.Scan(&r.id, &r.name, &r.published, &r.updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: listing scenarios: %w", err)
		}
		scs = append(scs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: listing scenarios: %w", err)
	}
	for i := range scs {
		for _, l := range s.order {
			if !l.scenario {
				continue
			}
			c, err := s.describe(ctx, l, scs[i].owner())
			if err != nil {
				return nil, err
			}
			out = append(out, *c)
		}
	}
	if out, err = s.appendYearCollections(ctx, out); err != nil {
		return nil, err
	}
	if out, err = s.appendProvinceCollections(ctx, out); err != nil {
		return nil, err
	}
	if !unpublished {
		return out, nil
	}
	return s.appendCheckCollections(ctx, out)
}

// appendOwned adds, for each owner, the layers pick selects.
func (s *FeatureStore) appendOwned(ctx context.Context, out []planner.Collection, owners []*layerOwner, pick func(*featureLayer) bool) ([]planner.Collection, error) {
	for _, o := range owners {
		for _, l := range s.order {
			if !pick(l) {
				continue
			}
			c, err := s.describe(ctx, l, o)
			if err != nil {
				return nil, err
			}
			out = append(out, *c)
		}
	}
	return out, nil
}

// Collection describes one collection, or ENOTFOUND.
func (s *FeatureStore) Collection(ctx context.Context, id string, unpublished bool) (*planner.Collection, error) {
	l, owner, err := s.resolve(id)
	if err != nil {
		return nil, err
	}
	o, err := s.ownerOf(ctx, l, owner, unpublished)
	if err != nil {
		return nil, err
	}
	return s.describe(ctx, l, o)
}

// newCollection builds a collection's description without its extent.
func newCollection(l *featureLayer, o *layerOwner) *planner.Collection {
	c := &planner.Collection{ID: l.name, Title: l.title, Description: l.desc, Layer: l.name,
		GeometryType: l.geomType, Properties: l.properties(), Published: !l.restricted}
	if o != nil {
		c.ID = o.prefix + "." + l.name
		c.Scenario = o.scenario
		c.Title = o.title + ": " + l.title
		c.Published = o.published
		c.Updated = o.updated
	}
	return c
}

// describe builds a collection's description with its extent; o is the
// layer's scenario or check, nil for base layers.
func (s *FeatureStore) describe(ctx context.Context, l *featureLayer, o *layerOwner) (*planner.Collection, error) {
	c := newCollection(l, o)
	var q query
	frags := map[string]string{"geom": l.geom, "where": "true"}
	if o != nil {
		frags["sc"] = q.arg(o.arg)
	}
	frags["from"] = fill(l.from, frags)
	if l.where != "" {
		frags["where"] = fill(l.where, frags)
	}
	var b [4]float64
	var err error
	if l.extentTable != "" {
		err = s.pool(ctx).QueryRowContext(ctx, sqlEstimatedExtent, l.extentTable).Scan(&b[0], &b[1], &b[2], &b[3])
	}
	if l.extentTable == "" || errors.Is(err, sql.ErrNoRows) {
		err = s.pool(ctx).QueryRowContext(ctx, fill(sqlExtent, frags), q.args...).Scan(&b[0], &b[1], &b[2], &b[3])
	}
	switch {
	case err == nil:
		c.Extent = &b
	case errors.Is(err, sql.ErrNoRows):
		// An empty layer has no extent.
	default:
		return nil, fmt.Errorf("data: extent of %q: %w", c.ID, err)
	}
	return c, nil
}
