package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// ScenarioDeps are the scenario service's dependencies (docs/scenario-service.md).
type ScenarioDeps struct {
	// Store writes scenarios and runs (the read-write database pool).
	Store planner.ScenarioRunStore
	// Read serves GET requests; it should sit on the read-only pool (the
	// parkplan_reader role). Nil uses Store.
	Read planner.ScenarioRunStore
	// Queue queues scenario runs for the job workers (package jobs, wired
	// by cmd/parkplan); nil makes run requests answer 503.
	Queue planner.RunQueue
	// Layers builds difference layers (read-only pool).
	Layers planner.LayerStore
	// Export writes saved plans as GeoPackage, Shapefiles or a QGIS
	// project (ogr.PlanExport, wired by cmd/parkplan); nil answers 503.
	Export planner.PlanExporter
}

// scenarioBodyLimit is the largest scenario document accepted, in bytes
// (the CLI's file limit; real scenarios are a few hundred bytes).
const scenarioBodyLimit = 1 << 20

// registerScenarioRoutes adds the scenario service's routes.
func (s *Server) registerScenarioRoutes(e *echo.Echo) {
	if s.openapi != nil {
		if err := mergeScenarioOpenAPI(s.openapi); err != nil {
			panic(err) // the embedded YAML is checked by TestScenarioOpenAPICoversRoutes
		}
	}
	planner := s.require(RolePlanner)
	g := e.Group("/scenarios", checkScenarioID)
	g.GET("", s.listScenarios, s.withTimeout)
	g.POST("", s.createScenario, planner, s.withTimeout)
	g.GET("/compare", s.compareScenarios, s.withTimeout)
	g.GET("/compare/diff.geojson", s.diffLayer, s.withTimeout)
	g.GET("/:id", s.getScenario, s.withTimeout)
	g.DELETE("/:id", s.deleteScenario, planner, s.withTimeout)
	g.POST("/:id/run", s.runScenario, planner, s.withTimeout)
	g.POST("/:id/cancel", s.cancelScenario, planner, s.withTimeout)
	g.POST("/:id/publish", s.publishScenario(true), planner, s.withTimeout)
	g.POST("/:id/unpublish", s.publishScenario(false), planner, s.withTimeout)
	g.GET("/:id/events", s.scenarioEvents) // a stream: no request timeout
	g.GET("/:id/layers/:file", s.scenarioLayer, s.withTimeout)
	g.GET("/:id/export", s.exportScenario, s.withTimeout)
}

// scenarioIDMaxLen is the longest scenario id (data.ScenarioID's limit).
const scenarioIDMaxLen = 80

// validScenarioID reports whether id has the shape of a scenario id
// (lower-case ASCII letters, digits, '-' and '_', at most 80 bytes). Other
// ids cannot exist, so they are answered 404 without asking the database
// (which would refuse some of them, such as a NUL byte, with an error).
func validScenarioID(id string) bool {
	if id == "" || len(id) > scenarioIDMaxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || (i > 0 && (c == '-' || c == '_'))) {
			return false
		}
	}
	return true
}

// checkScenarioID is route middleware: a malformed {id} is 404.
func checkScenarioID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for _, name := range c.ParamNames() {
			if name == "id" && !validScenarioID(c.Param("id")) {
				return notFound(c.Param("id"))
			}
		}
		return next(c)
	}
}

// scenarioLayers are the layers every solved scenario has, in link order.
var scenarioLayers = [...]string{"parks", "assignments", "unplaced", "towns", "candidates"}

// writeStore returns the read-write scenario store, or a 503.
func (s *Server) writeStore() (planner.ScenarioRunStore, error) {
	if s.deps.Scenario.Store == nil {
		return nil, WithStatus(http.StatusServiceUnavailable, "", errors.New("the scenario service is not configured on this server"))
	}
	return s.deps.Scenario.Store, nil
}

// readStore returns the store for reads: the read-only one when configured.
func (s *Server) readStore() (planner.ScenarioRunStore, error) {
	if s.deps.Scenario.Read != nil {
		return s.deps.Scenario.Read, nil
	}
	return s.writeStore()
}

// notFound is the error for a scenario that does not exist or that the
// caller may not see (the public role sees published scenarios only).
func notFound(id string) error {
	return &planner.Error{Code: planner.ENOTFOUND, Field: "path.id", Message: fmt.Sprintf("no scenario with id %q", id)}
}

// findVisible reads scenario id if the caller may see it.
func (s *Server) findVisible(c echo.Context, id string) (*planner.ScenarioRun, error) {
	st, err := s.readStore()
	if err != nil {
		return nil, err
	}
	run, err := st.FindScenarioRun(c.Request().Context(), id)
	if planner.ErrorCode(err) == planner.ENOTFOUND {
		return nil, notFound(id)
	} else if err != nil {
		return nil, err
	}
	if !run.Published && roleOf(c) < RoleReviewer {
		return nil, notFound(id)
	}
	return run, nil
}

// listScenarios answers GET /scenarios[?status=…]: every scenario the
// caller may see, by id.
func (s *Server) listScenarios(c echo.Context) error {
	st, err := s.readStore()
	if err != nil {
		return err
	}
	var f planner.ScenarioFilter
	if v := c.QueryParam("status"); v != "" {
		js := planner.JobStatus(v)
		if !js.Valid() {
			return invalidParam("status", "unknown status %q (want queued, running, done, failed or cancelled)", v)
		}
		f.Status = &js
	}
	if roleOf(c) < RoleReviewer {
		yes := true
		f.Published = &yes
	}
	runs, err := st.ListScenarioRuns(c.Request().Context(), f)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	out := scenarioList{Scenarios: make([]scenarioDoc, len(runs)),
		Links: []link{{Href: base + "/scenarios", Rel: "self", Type: echo.MIMEApplicationJSON}}}
	for i := range runs {
		out.Scenarios[i] = s.newScenarioDoc(base, &runs[i], false)
	}
	return c.JSON(http.StatusOK, out)
}

// getScenario answers GET /scenarios/{id}: the status document, with the
// plan's row tables when ?plan=full.
func (s *Server) getScenario(c echo.Context) error {
	id := c.Param("id")
	run, err := s.findVisible(c, id)
	if err != nil {
		return err
	}
	full := false
	switch v := c.QueryParam("plan"); v {
	case "", "summary":
	case "full":
		full = true
	default:
		return invalidParam("plan", "want summary or full, got %q", v)
	}
	if full && run.Plan != nil {
		st, err := s.readStore()
		if err != nil {
			return err
		}
		rec, err := st.FindScenario(c.Request().Context(), id)
		if err != nil {
			return err
		}
		run.Plan = rec.Plan
	}
	return c.JSON(http.StatusOK, s.scenarioDocAt(c, s.baseURL(c), run, full))
}

// readScenarioBody reads a scenario document in JSON or YAML (the CLI's
// file format) from the request body.
func readScenarioBody(c echo.Context) (*planner.Scenario, error) {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return nil, planner.FieldErrorf("header.Content-Type", "unreadable media type %q", ct)
		}
		switch mt {
		case "application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain":
		default:
			return nil, WithStatus(http.StatusUnsupportedMediaType, "",
				planner.FieldErrorf("header.Content-Type", "want application/json or application/yaml, got %q", mt))
		}
	}
	b, err := io.ReadAll(io.LimitReader(req.Body, scenarioBodyLimit+1))
	if err != nil {
		// The server's body limit cuts a body without Content-Length here.
		var mbe *http.MaxBytesError
		var he *echo.HTTPError
		if errors.As(err, &mbe) || (errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge) {
			return nil, echo.ErrStatusRequestEntityTooLarge
		}
		return nil, planner.FieldErrorf("body", "reading the body: %v", err)
	}
	if len(b) > scenarioBodyLimit {
		return nil, WithStatus(http.StatusRequestEntityTooLarge, "",
			planner.FieldErrorf("body", "a scenario may have at most %d bytes", scenarioBodyLimit))
	}
	sc, err := planner.LoadScenario(bytes.NewReader(b))
	if err != nil {
		return nil, scenarioError(err)
	}
	if err := checkNoNUL(sc); err != nil {
		return nil, Unprocessable(err)
	}
	return sc, nil
}

// checkNoNUL refuses text with a NUL character (U+0000), which a JSON or
// YAML body can carry but PostgreSQL text and jsonb cannot store.
func checkNoNUL(sc *planner.Scenario) error {
	bad := func(v string) bool { return strings.ContainsRune(v, 0) }
	msg := "must not contain the NUL character (U+0000)"
	switch {
	case bad(sc.Name):
		return planner.FieldErrorf("body.name", "%s", msg)
	case bad(sc.Description):
		return planner.FieldErrorf("body.description", "%s", msg)
	}
	// The lists are sorted by now, so the value, not an index, names the entry.
	for _, v := range sc.LockIn {
		if bad(v) {
			return planner.FieldErrorf("body.lock_in", "parcel id %q %s", v, msg)
		}
	}
	for _, v := range sc.LockOut {
		if bad(v) {
			return planner.FieldErrorf("body.lock_out", "parcel id %q %s", v, msg)
		}
	}
	for k := range sc.QuotaExtra {
		if bad(k) {
			return planner.FieldErrorf("body.quota_extra", "key %q %s", k, msg)
		}
	}
	return nil
}

// scenarioError turns planner.LoadScenario's errors into one problem: 400
// for a body that is not JSON or YAML, 422 (with the first bad field's
// path under "body.") for a document that breaks the scenario's rules.
func scenarioError(err error) error {
	var parts []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts = j.Unwrap()
	} else {
		parts = []error{err}
	}
	var first *planner.Error
	var msgs []string
	for _, p := range parts {
		var pe *planner.Error
		if !errors.As(p, &pe) {
			msgs = append(msgs, p.Error())
			continue
		}
		if first == nil && pe.Field != "" {
			first = pe
		}
		if pe.Field != "" {
			msgs = append(msgs, "body."+pe.Field+": "+pe.Message)
		} else {
			msgs = append(msgs, pe.Message)
		}
	}
	if first == nil {
		return planner.FieldErrorf("body", "%s", strings.Join(msgs, "; "))
	}
	return Unprocessable(planner.FieldErrorf("body."+first.Field, "%s", strings.Join(msgs, "; ")))
}

// createScenario answers POST /scenarios[?published=true]: it saves the
// scenario and queues its first run in one transaction (202), or refuses
// with 429 when the run queue is full — and then nothing is saved.
func (s *Server) createScenario(c echo.Context) error {
	q, err := s.runQueue()
	if err != nil {
		return err
	}
	published, err := boolParam(c, "published")
	if err != nil {
		return err
	}
	sc, err := readScenarioBody(c)
	if err != nil {
		return err
	}
	run, err := q.CreateScenario(c.Request().Context(), sc, s.tokenName(c), published)
	if err != nil {
		return queueError(err)
	}
	return s.acceptedRun(c, run.ID)
}

// runQueue returns the scenario run queue, or a 503.
func (s *Server) runQueue() (planner.RunQueue, error) {
	if s.deps.Scenario.Queue == nil || s.deps.Scenario.Store == nil {
		return nil, WithStatus(http.StatusServiceUnavailable, "", errors.New("this server queues no scenario runs"))
	}
	return s.deps.Scenario.Queue, nil
}

// queueError answers a full job queue with 429 and Retry-After.
func queueError(err error) error {
	var full *planner.QueueFullError
	if errors.As(err, &full) {
		secs := strconv.Itoa(int((full.RetryAfter + time.Second - 1) / time.Second))
		return WithStatus(http.StatusTooManyRequests, secs, planner.Errorf(planner.EINVALID, "%s", full.Error()))
	}
	return err
}

// acceptedRun answers 202 with scenario id's status document.
func (s *Server) acceptedRun(c echo.Context, id string) error {
	st, err := s.writeStore() // the writer sees its own write at once
	if err != nil {
		return err
	}
	run, err := st.FindScenarioRun(c.Request().Context(), id)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	c.Response().Header().Set(echo.HeaderLocation, base+"/scenarios/"+id)
	return c.JSON(http.StatusAccepted, s.scenarioDocAt(c, base, run, false))
}

// runScenario answers POST /scenarios/{id}/run: queue a new run (202); 409
// while a run is active, 429 when the queue is full.
func (s *Server) runScenario(c echo.Context) error {
	q, err := s.runQueue()
	if err != nil {
		return err
	}
	id := c.Param("id")
	if _, err := q.QueueRun(c.Request().Context(), id); err != nil {
		if planner.ErrorCode(err) == planner.ENOTFOUND {
			return notFound(id)
		}
		return queueError(err)
	}
	return s.acceptedRun(c, id)
}

// cancelScenario answers POST /scenarios/{id}/cancel: the queued or
// running run is stored cancelled at once (a running solve stops at its
// worker's next heartbeat and can save nothing after). 409 when no run is
// active.
func (s *Server) cancelScenario(c echo.Context) error {
	q, err := s.runQueue()
	if err != nil {
		return err
	}
	id := c.Param("id")
	ctx := c.Request().Context()
	if err := q.CancelRun(ctx, id); err != nil {
		if planner.ErrorCode(err) == planner.ENOTFOUND {
			return notFound(id)
		}
		return err
	}
	run, err := s.deps.Scenario.Store.FindScenarioRun(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.newScenarioDoc(s.baseURL(c), run, false))
}

// deleteScenario answers DELETE /scenarios/{id}: an active run is
// cancelled first; the plan goes with the scenario (204).
func (s *Server) deleteScenario(c echo.Context) error {
	st, err := s.writeStore()
	if err != nil {
		return err
	}
	id := c.Param("id")
	ctx := c.Request().Context()
	if q := s.deps.Scenario.Queue; q != nil {
		if err := q.CancelRun(ctx, id); err != nil && planner.ErrorCode(err) != planner.ECONFLICT && planner.ErrorCode(err) != planner.ENOTFOUND {
			return err
		}
	}
	if err := st.DeleteScenario(ctx, id); err != nil {
		if planner.ErrorCode(err) == planner.ENOTFOUND {
			return notFound(id)
		}
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// publishScenario answers POST /scenarios/{id}/publish and /unpublish.
func (s *Server) publishScenario(published bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		st, err := s.writeStore()
		if err != nil {
			return err
		}
		id := c.Param("id")
		if err := st.SetPublished(c.Request().Context(), id, published); err != nil {
			if planner.ErrorCode(err) == planner.ENOTFOUND {
				return notFound(id)
			}
			return err
		}
		run, err := st.FindScenarioRun(c.Request().Context(), id)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, s.newScenarioDoc(s.baseURL(c), run, false))
	}
}

// boolParam reads an optional true/false query parameter.
func boolParam(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, invalidParam(name, "want true or false, got %q", v)
	}
	return b, nil
}

// tokenName returns the name of the caller's token, for created_by, when
// the authenticator can tell it; "" otherwise.
func (s *Server) tokenName(c echo.Context) string {
	na, ok := s.deps.Auth.(tokenNamer)
	if !ok {
		return ""
	}
	token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !ok {
		return ""
	}
	name, err := na.TokenName(c.Request().Context(), token)
	if err != nil {
		return ""
	}
	return name
}

// queuePosition returns the place of scenario id's queued run (0 when
// unknown: no queue here, or the database did not say).
func (s *Server) queuePosition(ctx context.Context, id string) int {
	if s.deps.Scenario.Queue == nil {
		return 0
	}
	n, err := s.deps.Scenario.Queue.QueuePosition(ctx, id)
	if err != nil {
		return 0
	}
	return n
}
