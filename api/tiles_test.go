package api

import (
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// TestTilesOpenAPICoversRoutes checks that every tiles route is in the
// OpenAPI paths.
func TestTilesOpenAPICoversRoutes(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	paths := doc["paths"].(map[string]any)
	e := echo.New()
	(&Server{deps: Deps{Tiles: tileStoreStub{}}}).registerTileRoutes(e)
	param := regexp.MustCompile(`:([A-Za-z]+)`)
	n := 0
	for _, r := range e.Routes() {
		if r.Method != "GET" {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		if _, ok := paths[p].(map[string]any)["get"]; !ok {
			t.Errorf("route GET %s: no OpenAPI path %s", r.Path, p)
		}
		n++
	}
	if n != 5 {
		t.Errorf("%d tiles routes registered, want 5", n)
	}
}

func TestETagMatch(t *testing.T) {
	const tag = `"4c9d9b72"`
	for _, tc := range []struct {
		name, header string
		want         bool
	}{
		{"none", "", false},
		{"same", tag, true},
		{"weak form", "W/" + tag, true},
		{"in a list", `"x", ` + tag + ` , "y"`, true},
		{"any", "*", true},
		{"other", `"4c9d9b73"`, false},
		{"unquoted", strings.Trim(tag, `"`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := etagMatch(tc.header, tag); got != tc.want {
				t.Errorf("etagMatch(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}

// tileStoreStub only makes registerTileRoutes register; it is never called.
type tileStoreStub struct{ planner.TileStore }
