package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// compareMax is the most scenarios one comparison takes.
const compareMax = 10

// compareDoc is the body of GET /scenarios/compare.
type compareDoc struct {
	Scenarios []compareColumn `json:"scenarios"`
	// KPIs are the rows of the side-by-side table; Values[i] belongs to
	// Scenarios[i] and is null when that scenario has no plan.
	KPIs []compareRow `json:"kpis"`
	// Diffs link the difference layer of the first scenario against each other.
	Diffs []compareDiff `json:"diffs"`
	Links []link        `json:"links"`
}

// compareColumn heads one column of the table.
type compareColumn struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Status      planner.JobStatus   `json:"status"`
	SolveStatus planner.SolveStatus `json:"solve_status,omitempty"`
	TargetYear  int                 `json:"target_year"`
	Href        string              `json:"href"`
}

// compareRow is one KPI across the scenarios.
type compareRow struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Unit   string `json:"unit"`
	Values []*num `json:"values"`
}

// compareDiff links the difference layer between scenarios A and B.
type compareDiff struct {
	A    string `json:"a"`
	B    string `json:"b"`
	Href string `json:"href"`
}

// compareKPI is one row of the table: its key, label, unit and value.
type compareKPI struct {
	key, label, unit string
	value            func(p *planner.Plan) float64
}

// compareKPIs lists the table's rows in order (issue 4: parks by 2020, towns
// covered, new-land parks, mu used by kind, floor space and firms housed,
// output per mu, mean and max relocation distance, cost, objective, gap).
var compareKPIs = [...]compareKPI{
	{"parks_by_target_year", "parks open by the target year", "parks", func(p *planner.Plan) float64 { return float64(p.KPI.ParksByTarget) }},
	{"parks_total", "parks open by the last year", "parks", func(p *planner.Plan) float64 { return float64(p.KPI.ParksTotal) }},
	{"towns_covered", "towns with a park", "towns", func(p *planner.Plan) float64 { return float64(p.KPI.TownsCovered) }},
	{"new_land_parks", "new parks on newly approved land", "parks", func(p *planner.Plan) float64 { return float64(p.KPI.NewLandParks) }},
	{"new_land_mu", "newly approved land used", "mu", func(p *planner.Plan) float64 { return p.KPI.NewLandMu }},
	{"old_factory_mu", "old factory land used", "mu", func(p *planner.Plan) float64 { return p.KPI.OldFactoryMu }},
	{"locked_mu", "existing and under-construction parks", "mu", func(p *planner.Plan) float64 { return p.KPI.LockedMu }},
	{"floor_placed_m2", "floor space housed", "m²", func(p *planner.Plan) float64 { return p.KPI.FloorPlacedM2 }},
	{"firms_placed", "firms housed", "firms", func(p *planner.Plan) float64 { return float64(p.KPI.FirmsPlaced) }},
	{"output_per_mu", "output per mu of placed firms", "10,000 yuan/mu/yr", func(p *planner.Plan) float64 { return p.KPI.OutputPerMu }},
	{"mean_relocation_km", "mean relocation distance", "km", func(p *planner.Plan) float64 { return p.KPI.MeanRelocationKm }},
	{"max_relocation_km", "longest relocation distance", "km", func(p *planner.Plan) float64 { return p.KPI.MaxRelocationKm }},
	{"cost_wan", "cost of new parks", "10,000 yuan", func(p *planner.Plan) float64 { return p.KPI.CostWan }},
	{"objective", "objective (weighted, maximised)", "", func(p *planner.Plan) float64 { return p.Solve.Objective }},
	{"bound", "proven bound on the objective", "", func(p *planner.Plan) float64 { return p.Solve.Bound }},
	{"gap", "relative gap to the bound", "", func(p *planner.Plan) float64 { return p.Solve.Gap }},
	{"solve_s", "solve time", "s", func(p *planner.Plan) float64 { return p.Solve.Elapsed.Seconds() }},
}

// compareScenarios answers GET /scenarios/compare?ids=a,b[,c…].
func (s *Server) compareScenarios(c echo.Context) error {
	ids, err := compareIDs(c.QueryParam("ids"))
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	doc := compareDoc{Scenarios: make([]compareColumn, len(ids)), KPIs: make([]compareRow, len(compareKPIs)),
		Links: []link{{Href: base + "/scenarios/compare?ids=" + url.QueryEscape(strings.Join(ids, ",")), Rel: "self", Type: "application/json"}}}
	plans := make([]*planner.Plan, len(ids))
	for i, id := range ids {
		run, err := s.findVisible(c, id)
		if err != nil {
			return err
		}
		col := compareColumn{ID: id, Name: run.Scenario.Name, Status: planner.JobStatus(run.Status),
			TargetYear: run.Scenario.TargetYear, Href: base + "/scenarios/" + id}
		if run.Plan != nil {
			col.SolveStatus = run.Plan.Solve.Status
		}
		doc.Scenarios[i], plans[i] = col, run.Plan
	}
	for r, k := range compareKPIs {
		row := compareRow{Key: k.key, Label: k.label, Unit: k.unit, Values: make([]*num, len(ids))}
		for i, p := range plans {
			if p != nil {
				v := num(k.value(p))
				row.Values[i] = &v
			}
		}
		doc.KPIs[r] = row
	}
	for _, b := range ids[1:] {
		doc.Diffs = append(doc.Diffs, compareDiff{A: ids[0], B: b,
			Href: base + "/scenarios/compare/diff.geojson?a=" + url.QueryEscape(ids[0]) + "&b=" + url.QueryEscape(b)})
	}
	return c.JSON(http.StatusOK, doc)
}

// compareIDs parses the ids parameter: 2 to compareMax distinct ids.
func compareIDs(v string) ([]string, error) {
	if v == "" {
		return nil, invalidParam("ids", "give the scenarios to compare: ids=a,b[,c…]")
	}
	ids := strings.Split(v, ",")
	if len(ids) < 2 || len(ids) > compareMax {
		return nil, invalidParam("ids", "want 2 to %d scenario ids, got %d", compareMax, len(ids))
	}
	seen := map[string]bool{}
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" {
			return nil, invalidParam("ids", "id %d is empty", i+1)
		}
		if !validScenarioID(id) {
			return nil, notFound(id)
		}
		if seen[id] {
			return nil, invalidParam("ids", "scenario %q is named twice", id)
		}
		seen[id] = true
		ids[i] = id
	}
	return ids, nil
}

// diffLayer answers GET /scenarios/compare/diff.geojson?a=&b=: the
// difference between the plans of a and b as one FeatureCollection
// (CRS84): parks added, removed, re-specialised or re-timed, firms moved.
func (s *Server) diffLayer(c echo.Context) error {
	if s.deps.Scenario.Layers == nil {
		return WithStatus(http.StatusServiceUnavailable, "", planner.Errorf(planner.EINTERNAL, "difference layers are not configured"))
	}
	var ids [2]string
	for i, name := range [2]string{"a", "b"} {
		ids[i] = strings.TrimSpace(c.QueryParam(name))
		if ids[i] == "" {
			return invalidParam(name, "give two scenario ids: ?a=…&b=…")
		}
		if !validScenarioID(ids[i]) {
			return notFound(ids[i])
		}
		run, err := s.findVisible(c, ids[i])
		if err != nil {
			return err
		}
		if run.Plan == nil {
			return &planner.Error{Code: planner.ECONFLICT, Field: "query." + name,
				Message: "scenario " + `"` + ids[i] + `"` + " has no plan yet (status " + run.Status + ")"}
		}
	}
	// Page by page, each bounded by max_page_vertices (as a layer file).
	q := planner.ItemsQuery{Collection: diffPrefix + ids[0] + "." + ids[1], Limit: layerChunk, CRS: planner.CRS84}
	return streamPages(c, q, q.Collection, "", func(q planner.ItemsQuery) (*planner.FeaturePage, error) {
		return s.deps.Scenario.Layers.DiffItems(c.Request().Context(), ids[0], ids[1], q)
	})
}
