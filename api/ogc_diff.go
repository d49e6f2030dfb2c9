package api

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/planner"
)

// Difference collections "diff.{a}.{b}": the features that differ between
// the plans of scenarios a and b (planner.LayerStore: parks added,
// removed, re-specialised, re-timed; firms moved), as an OGC collection so
// GIS tools page through it like any layer. They are not listed under
// /collections (one per pair of scenarios) but answer at their address.
// Served in CRS84 only; bbox compares bounding boxes.

// diffPrefix starts a difference collection id.
const diffPrefix = "diff."

// parseDiffID splits "diff.{a}.{b}" (scenario ids have no dots).
func parseDiffID(id string) (a, b string, ok bool) {
	rest, ok := strings.CutPrefix(id, diffPrefix)
	if !ok {
		return "", "", false
	}
	a, b, ok = strings.Cut(rest, ".")
	if !ok || a == "" || b == "" || strings.Contains(b, ".") {
		return "", "", false
	}
	return a, b, true
}

// diffFeature is what paging and filtering need of one difference feature.
type diffFeature struct {
	raw   json.RawMessage
	id    string
	bound orb.Bound
	empty bool // no geometry
}

// diffFeatures reads the difference of a and b, after checking that the
// caller may see both scenarios' plans.
func (s *Server) diffFeatures(c echo.Context, id, a, b string) ([]diffFeature, error) {
	if s.deps.Scenario.Layers == nil {
		return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId", Message: "this server has no difference layers"}
	}
	ctx := c.Request().Context()
	for _, sc := range []string{a, b} {
		// A scenario's parks collection exists iff its plan is visible to the caller.
		if _, err := s.deps.Features.Collection(ctx, sc+".parks", canReadUnpublished(c)); err != nil {
			if planner.ErrorCode(err) == planner.ENOTFOUND {
				return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
					Message: fmt.Sprintf("collection %q: no solved scenario %q", id, sc)}
			}
			return nil, err
		}
	}
	raw, _, err := s.deps.Scenario.Layers.ScenarioDiff(ctx, a, b)
	if err != nil {
		return nil, err
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, fmt.Errorf("api: difference %s: %w", id, err)
	}
	out := make([]diffFeature, len(elems))
	for i, e := range elems {
		f, err := geojson.UnmarshalFeature(e)
		if err != nil {
			return nil, fmt.Errorf("api: difference %s, feature %d: %w", id, i, err)
		}
		out[i] = diffFeature{raw: e, id: fmt.Sprint(f.ID), empty: f.Geometry == nil}
		if f.Geometry != nil {
			out[i].bound = f.Geometry.Bound()
		}
	}
	return out, nil
}

// diffCollection describes a difference collection.
func (s *Server) diffCollection(c echo.Context, id, a, b string) (*planner.Collection, error) {
	fs, err := s.diffFeatures(c, id, a, b)
	if err != nil {
		return nil, err
	}
	col := &planner.Collection{ID: id, Layer: "diff", GeometryType: "Geometry", Published: true,
		Title:       fmt.Sprintf("Difference %s → %s", a, b),
		Description: "Parks added, removed, re-specialised and re-timed (parcel polygons) and firms moved, entering or leaving parks (lines), between two scenarios' plans",
		Properties: []planner.Property{
			{Name: "layer", Type: "string", Desc: "parks | firms"},
			{Name: "change", Type: "string", Desc: "added, removed, changed (parks); moved, entered, left (firms)"},
		}}
	var ext orb.Bound
	some := false
	for _, f := range fs {
		if f.empty {
			continue
		}
		if !some {
			ext, some = f.bound, true
		} else {
			ext = ext.Union(f.bound)
		}
	}
	if some {
		col.Extent = &[4]float64{ext.Min[0], ext.Min[1], ext.Max[0], ext.Max[1]}
	}
	return col, nil
}

// diffItems cuts one page of a difference collection.
func (s *Server) diffItems(c echo.Context, q planner.ItemsQuery, a, b string) (*planner.FeaturePage, error) {
	if q.CRS != planner.CRS84 {
		return nil, invalidParam("crs", "difference collections are served in %s only", uriCRS84)
	}
	fs, err := s.diffFeatures(c, q.Collection, a, b)
	if err != nil {
		return nil, err
	}
	if q.Bbox != nil {
		if q.BboxCRS != planner.CRS84 {
			return nil, invalidParam("bbox-crs", "difference collections take a bbox in %s only", uriCRS84)
		}
		box := orb.Bound{Min: orb.Point{q.Bbox[0], q.Bbox[1]}, Max: orb.Point{q.Bbox[2], q.Bbox[3]}}
		kept := fs[:0]
		for _, f := range fs {
			if !f.empty && f.bound.Intersects(box) {
				kept = append(kept, f)
			}
		}
		fs = kept
	}
	page := &planner.FeaturePage{Matched: len(fs)}
	buf := []byte{'['}
	for i := q.Offset; i < len(fs) && i < q.Offset+q.Limit; i++ {
		if page.Returned > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, fs[i].raw...)
		page.Returned++
	}
	page.Features = append(buf, ']')
	return page, nil
}

// diffItem finds one feature of a difference collection.
func (s *Server) diffItem(c echo.Context, id, fid, a, b string, crs planner.CRS) (json.RawMessage, error) {
	if crs != planner.CRS84 {
		return nil, invalidParam("crs", "difference collections are served in %s only", uriCRS84)
	}
	fs, err := s.diffFeatures(c, id, a, b)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.id == fid {
			return f.raw, nil
		}
	}
	return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "featureId",
		Message: fmt.Sprintf("collection %q has no feature %q", id, fid)}
}
