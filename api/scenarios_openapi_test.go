package api

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestScenarioOpenAPICoversRoutes checks that every scenario route and
// method is in the OpenAPI paths, and that the merged /api document is
// still JSON.
func TestScenarioOpenAPICoversRoutes(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := mergeScenarioOpenAPI(doc); err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(doc); err != nil {
		t.Fatalf("merged document is not JSON-compatible: %v", err)
	}
	paths := doc["paths"].(map[string]any)
	e := echo.New()
	(&Server{}).registerScenarioRoutes(e)
	param := regexp.MustCompile(`:([a-z]+)`)
	n := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/scenarios") || r.Method == echo.RouteNotFound {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		p = strings.Replace(p, "{file}", "{layer}.geojson", 1)
		item, ok := paths[p].(map[string]any)
		if !ok {
			t.Errorf("route %s %s: no OpenAPI path %s", r.Method, r.Path, p)
			continue
		}
		if _, ok := item[strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s: OpenAPI path %s lacks %s", r.Method, r.Path, p, strings.ToLower(r.Method))
		}
		n++
	}
	if n < 12 {
		t.Errorf("only %d scenario routes registered", n)
	}
}

// TestProvincesOpenAPI checks that the provinces routes are in the merged
// OpenAPI paths.
func TestProvincesOpenAPI(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	(&Server{openapi: doc}).registerProvinceRoutes(e)
	paths := doc["paths"].(map[string]any)
	for _, r := range e.Routes() {
		p := regexp.MustCompile(`:([a-z]+)`).ReplaceAllString(r.Path, "{$1}")
		if item, ok := paths[p].(map[string]any); !ok || item[strings.ToLower(r.Method)] == nil {
			t.Errorf("route %s %s: no OpenAPI operation at %s", r.Method, r.Path, p)
		}
	}
	if _, err := json.Marshal(doc); err != nil {
		t.Fatalf("merged document is not JSON-compatible: %v", err)
	}
}
