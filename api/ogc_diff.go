package api

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// Difference collections "diff.{a}.{b}": the features that differ between
// the plans of scenarios a and b (planner.LayerStore: parks added,
// removed, re-specialised, re-timed; firms moved), as an OGC collection so
// GIS tools page through it like any layer. They are not listed under
// /collections (one per pair of scenarios) but answer at their address.
// Served in CRS84 only; bbox compares bounding boxes. The store pages them
// in PostGIS (never the whole difference in memory) under the same
// vertex bound as every collection (max_page_vertices).

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

// diffLayers checks that the caller may see both scenarios' plans and
// returns the store of difference layers.
func (s *Server) diffLayers(c echo.Context, id, a, b string) (planner.LayerStore, error) {
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
	return s.deps.Scenario.Layers, nil
}

// diffCollection describes a difference collection.
func (s *Server) diffCollection(c echo.Context, id, a, b string) (*planner.Collection, error) {
	layers, err := s.diffLayers(c, id, a, b)
	if err != nil {
		return nil, err
	}
	ext, err := layers.DiffExtent(c.Request().Context(), a, b)
	if err != nil {
		return nil, err
	}
	return &planner.Collection{ID: id, Layer: "diff", GeometryType: "Geometry", Published: true,
		Title:       fmt.Sprintf("Difference %s → %s", a, b),
		Description: "Parks added, removed, re-specialised and re-timed (parcel polygons) and firms moved, entering or leaving parks (lines), between two scenarios' plans",
		Properties: []planner.Property{
			{Name: "layer", Type: "string", Desc: "parks | firms"},
			{Name: "change", Type: "string", Desc: "added, removed, changed (parks); moved, entered, left (firms)"},
		},
		Extent: ext}, nil
}

// diffItems reads one page of a difference collection: in id order,
// bounded by max_page_vertices like every collection's pages.
func (s *Server) diffItems(c echo.Context, q planner.ItemsQuery, a, b string) (*planner.FeaturePage, error) {
	if q.CRS != planner.CRS84 {
		return nil, invalidParam("crs", "difference collections are served in %s only", uriCRS84)
	}
	if q.Bbox != nil && q.BboxCRS != planner.CRS84 {
		return nil, invalidParam("bbox-crs", "difference collections take a bbox in %s only", uriCRS84)
	}
	layers, err := s.diffLayers(c, q.Collection, a, b)
	if err != nil {
		return nil, err
	}
	return layers.DiffItems(c.Request().Context(), a, b, q)
}

// diffItem finds one feature of a difference collection.
func (s *Server) diffItem(c echo.Context, id, fid, a, b string, crs planner.CRS) (json.RawMessage, error) {
	if crs != planner.CRS84 {
		return nil, invalidParam("crs", "difference collections are served in %s only", uriCRS84)
	}
	layers, err := s.diffLayers(c, id, a, b)
	if err != nil {
		return nil, err
	}
	return layers.DiffItem(c.Request().Context(), a, b, fid)
}
