package api

import (
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"

	"github.com/parkplan/parkplan/planner"
)

//go:embed provinces_openapi.yaml
var provincesOpenAPIYAML []byte

// provinceIDMaxLen bounds a province id in a path: longer ids cannot have
// been saved by the province tools (no read is made for them).
const provinceIDMaxLen = 200

// registerProvinceRoutes adds the saved provincial plans' routes: read
// only, for every role (a plan's county plans keep their own scenarios'
// publication).
func (s *Server) registerProvinceRoutes(e *echo.Echo) {
	if s.openapi != nil {
		var add map[string]any
		if err := yaml.Unmarshal(provincesOpenAPIYAML, &add); err != nil {
			panic(err) // embedded; checked by TestProvincesOpenAPI
		}
		mergeInto(s.openapi, "paths", add["paths"])
	}
	e.GET("/provinces", s.listProvinces, s.withTimeout)
	e.GET("/provinces/:id", s.getProvince, s.withTimeout)
}

// provinceStore returns the province store, or a 503.
func (s *Server) provinceStore() (planner.ProvinceStore, error) {
	if s.deps.Provinces == nil {
		return nil, WithStatus(http.StatusServiceUnavailable, "", errors.New("provincial plans are not configured on this server"))
	}
	return s.deps.Provinces, nil
}

// provinceSummary is a saved plan in GET /provinces.
type provinceSummary struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	DatasetRevision int       `json:"dataset_revision"`
	CreatedAt       time.Time `json:"created_at"`
	CreatedBy       string    `json:"created_by"`
	Solved          bool      `json:"solved"`
	Counties        int       `json:"counties"`
	Objective       *float64  `json:"objective,omitempty"`
	Bound           *float64  `json:"bound,omitempty"`
	Gap             *float64  `json:"gap,omitempty"`
	Links           []link    `json:"links"`
}

// provinceDoc is GET /provinces/{id}: the record with its links.
type provinceDoc struct {
	planner.ProvinceRecord
	Links []link `json:"links"`
}

// provinceLinks are a saved plan's links: itself, its allocation
// collection and items, the map's province view and, when solved, each
// county's plan scenario.
func provinceLinks(base string, rec *planner.ProvinceRecord) []link {
	id := url.PathEscape(rec.ID)
	coll := base + "/collections/" + url.PathEscape("province-"+rec.ID+".allocation")
	ls := []link{
		{Href: base + "/provinces/" + id, Rel: "self", Type: mimeJSON, Title: "this provincial plan"},
		{Href: coll, Rel: "collection", Type: mimeJSON, Title: "the allocation per county (OGC API – Features)"},
		{Href: coll + "/items", Rel: "items", Type: mimeGeoJSON, Title: "the allocation per county as GeoJSON"},
		{Href: base + "/?province=" + url.QueryEscape(rec.ID), Rel: "alternate", Type: "text/html", Title: "the province on the map"},
	}
	if rec.Result != nil {
		for _, c := range rec.Result.Counties {
			if c.ScenarioID != "" {
				ls = append(ls, link{Href: base + "/scenarios/" + url.PathEscape(c.ScenarioID), Rel: "item", Type: mimeJSON,
					Title: fmt.Sprintf("county %s's plan", c.County)})
			}
		}
	}
	return ls
}

// listProvinces answers GET /provinces.
func (s *Server) listProvinces(c echo.Context) error {
	if err := checkParams(c); err != nil {
		return err
	}
	st, err := s.provinceStore()
	if err != nil {
		return err
	}
	recs, err := st.ListProvinces(c.Request().Context())
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	out := struct {
		Provinces []provinceSummary `json:"provinces"`
		Links     []link            `json:"links"`
	}{Provinces: []provinceSummary{}, Links: []link{{Href: base + "/provinces", Rel: "self", Type: mimeJSON}}}
	for i := range recs {
		r := &recs[i]
		sum := provinceSummary{ID: r.ID, Name: r.Scenario.Name, DatasetRevision: r.DatasetRevision, CreatedAt: r.CreatedAt,
			CreatedBy: r.CreatedBy, Solved: r.Result != nil, Links: provinceLinks(base, r)[:3]}
		if res := r.Result; res != nil {
			sum.Counties = len(res.Counties)
			sum.Objective, sum.Bound, sum.Gap = &res.Objective, &res.Bound, &res.Gap
		}
		out.Provinces = append(out.Provinces, sum)
	}
	return c.JSON(http.StatusOK, out)
}

// getProvince answers GET /provinces/{id}.
func (s *Server) getProvince(c echo.Context) error {
	if err := checkParams(c); err != nil {
		return err
	}
	id := c.Param("id")
	if id == "" || len(id) > provinceIDMaxLen || !utf8.ValidString(id) || hasControl(id) {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.id", Message: "no provincial plan with that id"}
	}
	st, err := s.provinceStore()
	if err != nil {
		return err
	}
	rec, err := st.FindProvince(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, provinceDoc{ProvinceRecord: *rec, Links: provinceLinks(s.baseURL(c), rec)})
}

// hasControl reports whether s holds a control character (a NUL would be
// refused by PostgreSQL with an error, not a 404).
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}
