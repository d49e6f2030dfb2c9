package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/compliance/report"
)

// RegisterChecks adds POST /checks (reviewer and planner roles): the
// natural-resources bureau's quota and protected-land check, run by
// checker (wired by cmd/parkplan). Call it once, after New and before
// serving. chart sets the PNG's fonts (report.FindCJKFont for Chinese
// town names).
//
// The body is one of: {"scenario": "<saved scenario id>"}; a scenario
// document (JSON, or YAML with Content-Type application/yaml); or a GeoJSON
// FeatureCollection of proposed parcels (nothing is stored). Query:
// format=json|geojson|csv|xlsx|png (default json), table=ledger|violations
// (csv only; default ledger), scenario=<id> (with a FeatureCollection:
// the proposals on top of that saved plan), tolerance_mu (default 0.01), marginal=true
// (marginal value of quota, re-solves), quota_increase=true (smallest
// increase for an infeasible scenario, re-solves), max_solves (default 10
// over HTTP), save=true (keep the report: Parkplan-Check-Id). The answer is 200 with the report whether or not the plan
// complies; the header Parkplan-Check says clean, violations or
// invalid-input. Bad requests are problem+json (400/404/422).
//
// A check that solves (a scenario document, marginal=true,
// quota_increase=true) runs as a job through queue, with the scenario
// runs' bound (429 and Retry-After when full), on whichever worker takes
// it; nil queue refuses such checks with 503. Other checks run here.
func (s *Server) RegisterChecks(checker *compliance.Checker, chart report.ChartOptions, queue CheckQueue) {
	if s.openapi != nil {
		var add map[string]any
		if err := yaml.Unmarshal(checksOpenAPIYAML, &add); err != nil {
			panic(fmt.Sprintf("api: embedded checks_openapi.yaml: %v", err)) // checked by the /api test
		}
		mergeInto(s.openapi, "paths", add["paths"])
	}
	h := &checkHandler{checker: checker, chart: chart, queue: queue}
	s.echo.POST("/checks", h.post, s.require(RoleReviewer), s.withTimeout)
}

// checksOpenAPIYAML is the OpenAPI path of POST /checks.
//
//go:embed checks_openapi.yaml
var checksOpenAPIYAML []byte

// defaultHTTPMaxSolves bounds re-solves per request: an HTTP request is
// bounded by the server's request timeout, unlike the CLI.
const defaultHTTPMaxSolves = 10

// CheckQueue runs checks that solve as jobs (package jobs), so every
// solve goes through the job queue and its limits.
type CheckQueue interface {
	// RunCheck queues job, waits for a worker to run it and returns its
	// report; a full queue is *planner.QueueFullError.
	RunCheck(ctx context.Context, job *compliance.Job) (*report.Rendered, error)
}

type checkHandler struct {
	checker *compliance.Checker
	chart   report.ChartOptions
	queue   CheckQueue
}

// post handles POST /checks.
func (h *checkHandler) post(c echo.Context) error {
	q := c.QueryParams()
	format, err := report.ParseFormat(q.Get("format"))
	if err != nil {
		return invalidParam("format", "%v", err)
	}
	table := q.Get("table")
	if table != "" && table != "ledger" && table != "violations" {
		return invalidParam("table", "is %q; use ledger or violations", table)
	}
	req := compliance.Request{Limits: compliance.MarginalOptions{MaxSolves: defaultHTTPMaxSolves}}
	if v := q.Get("tolerance_mu"); v != "" {
		tol, err := strconv.ParseFloat(v, 64)
		if err != nil || tol < 0 {
			return invalidParam("tolerance_mu", "is %q; it must be a number ≥ 0 (mu)", v)
		}
		req.ToleranceMu = &tol
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"marginal", &req.Marginal}, {"quota_increase", &req.QuotaIncrease}, {"save", &req.Save}} {
		if v := q.Get(b.name); v != "" {
			x, err := strconv.ParseBool(v)
			if err != nil {
				return invalidParam(b.name, "is %q; use true or false", v)
			}
			*b.dst = x
		}
	}
	if v := q.Get("max_solves"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return invalidParam("max_solves", "is %q; use 1 to 100", v)
		}
		req.Limits.MaxSolves = n
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err
	}
	if err := checkBody(c.Request().Header.Get(echo.HeaderContentType), body, &req); err != nil {
		return err
	}
	if id := q.Get("scenario"); id != "" {
		if req.Parcels == nil {
			return invalidParam("scenario", "goes with a FeatureCollection of proposed parcels (checked on top of that saved plan); send other checks' scenario in the body")
		}
		req.ScenarioID = id
	}
	out, err := h.run(c.Request().Context(), req, body, format, table)
	switch {
	case errors.Is(err, planner.ErrNoPlan):
		return WithStatus(http.StatusServiceUnavailable, "", err)
	case err != nil && planner.ErrorCode(err) == planner.EINVALID && req.Parcels != nil:
		return Unprocessable(err)
	case err != nil:
		return queueError(err)
	}
	c.Response().Header().Set("Parkplan-Check", out.State)
	if out.SavedID != 0 {
		c.Response().Header().Set("Parkplan-Check-Id", strconv.FormatInt(out.SavedID, 10))
	}
	if out.Filename != "" {
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+out.Filename+`"`)
	}
	return c.Blob(http.StatusOK, out.ContentType, out.Body)
}

// run runs req here, or as a job when it solves; body is the request body
// (the parcels of an upload).
func (h *checkHandler) run(ctx context.Context, req compliance.Request, body []byte, format report.Format, table string) (*report.Rendered, error) {
	if !req.NeedsSolve() {
		r, err := h.checker.Check(ctx, req)
		if err != nil {
			return nil, err
		}
		return report.Render(r, format, table, h.chart)
	}
	if h.queue == nil {
		return nil, WithStatus(http.StatusServiceUnavailable, "", errors.New("checks that solve run as jobs, and this server has no job queue"))
	}
	job := &compliance.Job{ScenarioID: req.ScenarioID, Scenario: req.Scenario, ParcelsName: req.ParcelsName,
		ToleranceMu: req.ToleranceMu, Marginal: req.Marginal, QuotaIncrease: req.QuotaIncrease, Limits: req.Limits,
		Save: req.Save, Format: string(format), Table: table}
	if req.Parcels != nil {
		job.Parcels = bytes.TrimSpace(body)
	}
	return h.queue.RunCheck(ctx, job)
}

// checkBody decides what the body is: a FeatureCollection of parcels, a
// reference to a saved scenario, or a scenario document.
func checkBody(contentType string, body []byte, req *compliance.Request) error {
	trim := bytes.TrimSpace(body)
	if len(trim) == 0 {
		return planner.FieldErrorf("body", `is empty: send {"scenario": "<id>"}, a scenario document or a FeatureCollection of parcels`)
	}
	mt := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	if trim[0] == '{' {
		var head struct {
			Type     *string         `json:"type"`
			Scenario json.RawMessage `json:"scenario"`
		}
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(trim, &probe); err != nil {
			return planner.FieldErrorf("body", "not JSON: %v", err)
		}
		_ = json.Unmarshal(trim, &head)
		switch {
		case head.Type != nil && *head.Type == "FeatureCollection":
			req.Parcels, req.ParcelsName = bytes.NewReader(trim), "body"
			return nil
		case head.Type != nil:
			return planner.FieldErrorf("body.type", "is %q; upload a FeatureCollection of parcels", *head.Type)
		case len(probe) == 1 && head.Scenario != nil:
			var id string
			if err := json.Unmarshal(head.Scenario, &id); err != nil || id == "" {
				return planner.FieldErrorf("body.scenario", "must be a saved scenario's id (a non-empty string)")
			}
			req.ScenarioID = id
			return nil
		}
	} else if mt != "application/yaml" && mt != "application/x-yaml" && mt != "text/yaml" {
		return planner.FieldErrorf("body", "is not JSON; send YAML scenario documents with Content-Type application/yaml")
	}
	sc, err := planner.LoadScenario(bytes.NewReader(trim))
	if err != nil {
		var pe *planner.Error
		if errors.As(err, &pe) && pe.Field != "" && !strings.HasPrefix(pe.Field, "body") {
			pe.Field = "body." + pe.Field
		}
		return Unprocessable(err)
	}
	req.Scenario = sc
	return nil
}
