package api

import (
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
	// Headers go out with the first page: a later error leaves the
	// client a truncated document (and the log a warning).
	return s.streamLayer(c, id+"."+layer, id+"."+layer, `inline; filename="`+id+"."+layer+`.geojson"`)
}

func isScenarioLayer(l string) bool {
	for _, x := range scenarioLayers {
		if x == l {
			return true
		}
	}
	return false
}
