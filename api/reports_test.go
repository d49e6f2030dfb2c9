package api

import (
	"encoding/json"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestReportsOpenAPI checks that the report's OpenAPI path parses and
// merges into the /api document.
func TestReportsOpenAPI(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var add map[string]any
	if err := yaml.Unmarshal(reportsOpenAPIYAML, &add); err != nil {
		t.Fatal(err)
	}
	mergeInto(doc, "paths", add["paths"])
	if _, err := json.Marshal(doc); err != nil {
		t.Fatalf("merged document is not JSON-compatible: %v", err)
	}
	item, ok := doc["paths"].(map[string]any)["/scenarios/{id}/report"].(map[string]any)
	if !ok || item["get"] == nil {
		t.Fatalf("no GET /scenarios/{id}/report in the merged document")
	}
}
