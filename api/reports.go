package api

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/planreport"
)

// ReportBuilder makes the plan report of a saved scenario
// (planreport.Builder on data's stores, wired by cmd/parkplan).
type ReportBuilder interface {
	Report(ctx context.Context, id string) (*planreport.Report, error)
}

// RegisterReports adds GET /scenarios/{id}/report: the plan report as a
// print-ready HTML page (docs/report.md), for whoever may see the
// scenario (unpublished ones: reviewer and planner roles). Call it once,
// after New and before serving.
func (s *Server) RegisterReports(b ReportBuilder) {
	if s.openapi != nil {
		var add map[string]any
		if err := yaml.Unmarshal(reportsOpenAPIYAML, &add); err != nil {
			panic(fmt.Sprintf("api: embedded reports_openapi.yaml: %v", err)) // checked by TestReportsOpenAPI
		}
		mergeInto(s.openapi, "paths", add["paths"])
	}
	s.echo.GET("/scenarios/:id/report", func(c echo.Context) error { return s.planReport(c, b) }, checkScenarioID, s.withTimeout)
}

// reportsOpenAPIYAML is the OpenAPI path of GET /scenarios/{id}/report.
//
//go:embed reports_openapi.yaml
var reportsOpenAPIYAML []byte

// planReport answers GET /scenarios/{id}/report.
func (s *Server) planReport(c echo.Context, b ReportBuilder) error {
	id := c.Param("id")
	// The scenario's visibility is the scenario service's rule.
	run, err := s.findVisible(c, id)
	if err != nil {
		return err
	}
	if run.Plan == nil { // as the scenario's layers answer
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.id",
			Message: "scenario " + `"` + id + `"` + " has no plan yet (status " + run.Status + "): run it first"}
	}
	r, err := b.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := planreport.WriteHTML(&page, r); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, planreport.ContentType, page.Bytes())
}
