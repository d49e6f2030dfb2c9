package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"
)

// openapiYAML is the hand-written OpenAPI 3.0 definition of the OGC API
// routes, served as JSON at /api; the scenario service adds its own paths
// when it registers its routes (mergeScenarioOpenAPI).
//
//go:embed openapi.yaml
var openapiYAML []byte

// loadOpenAPI converts the embedded definition to a JSON-ready map.
func loadOpenAPI() (map[string]any, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(openapiYAML, &doc); err != nil {
		return nil, fmt.Errorf("api: embedded openapi.yaml: %w", err)
	}
	if _, err := json.Marshal(doc); err != nil {
		return nil, fmt.Errorf("api: embedded openapi.yaml is not JSON-compatible: %w", err)
	}
	return doc, nil
}

// handleOpenAPI serves the API definition with this server's URL in servers.
func (s *Server) handleOpenAPI(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	if f := c.QueryParam("f"); f != "" && f != "json" {
		return invalidParam("f", "the API definition is served as json only, not %q", f)
	}
	doc := make(map[string]any, len(s.openapi))
	for k, v := range s.openapi {
		doc[k] = v
	}
	doc["servers"] = []map[string]string{{"url": s.baseURL(c)}}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, mimeOpenAPI, b)
}
