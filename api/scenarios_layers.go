package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// scenarioLayer answers GET /scenarios/{id}/layers/{layer}.geojson: the
// whole layer as one RFC 7946 FeatureCollection in CRS84, read page by
// page from the feature store (the OGC collection "{id}.{layer}").
func (s *Server) scenarioLayer(c echo.Context) error {
	id := c.Param("id")
	file := c.Param("file")
	layer, ok := strings.CutSuffix(file, ".geojson")
	if !ok || !isScenarioLayer(layer) {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.layer",
			Message: "no layer " + `"` + file + `"` + " (want parks, assignments, unplaced, towns or candidates, with .geojson)"}
	}
	run, err := s.findVisible(c, id)
	if err != nil {
		return err
	}
	if run.Plan == nil {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.id",
			Message: "scenario " + `"` + id + `"` + " has no plan yet (status " + run.Status + ")"}
	}
	// The page loop stops at the first short page; the total order by
	// feature id makes the pages disjoint and complete.
	q := planner.ItemsQuery{Collection: id + "." + layer, Limit: planner.ItemsMaxLimit, CRS: planner.CRS84,
		Unpublished: roleOf(c) >= RoleReviewer}
	ctx := c.Request().Context()
	page, err := s.deps.Features.Items(ctx, q)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, mimeGeoJSON)
	res.Header().Set(echo.HeaderContentDisposition, `inline; filename="`+id+"."+layer+`.geojson"`)
	res.WriteHeader(http.StatusOK)
	if _, err := res.Write([]byte(`{"type":"FeatureCollection","name":"` + id + "." + layer + `","features":[`)); err != nil {
		return nil
	}
	first := true
	for {
		inner := bytes.TrimSpace(page.Features)
		inner = bytes.TrimSuffix(bytes.TrimPrefix(inner, []byte("[")), []byte("]"))
		if len(bytes.TrimSpace(inner)) > 0 {
			if !first {
				if _, err := res.Write([]byte(",")); err != nil {
					return nil
				}
			}
			if _, err := res.Write(inner); err != nil {
				return nil
			}
			first = false
		}
		if page.Returned < q.Limit {
			break
		}
		q.Offset += page.Returned
		if page, err = s.deps.Features.Items(ctx, q); err != nil {
			// Headers are sent: the client sees a truncated document.
			return err
		}
	}
	_, _ = res.Write([]byte("]}\n"))
	return nil
}

func isScenarioLayer(l string) bool {
	for _, x := range scenarioLayers {
		if x == l {
			return true
		}
	}
	return false
}
