package api

import (
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// scenariosOpenAPIYAML holds the OpenAPI 3.0 paths and components of the
// scenario service.
//
//go:embed scenarios_openapi.yaml
var scenariosOpenAPIYAML []byte

// mergeScenarioOpenAPI adds the scenario service's paths and components
// to doc, an OpenAPI document decoded from YAML or JSON. Entries doc has
// already are kept.
func mergeScenarioOpenAPI(doc map[string]any) error {
	var add map[string]any
	if err := yaml.Unmarshal(scenariosOpenAPIYAML, &add); err != nil {
		return fmt.Errorf("api: embedded scenarios_openapi.yaml: %w", err)
	}
	mergeInto(doc, "paths", add["paths"])
	comps, _ := add["components"].(map[string]any)
	if _, ok := doc["components"].(map[string]any); !ok {
		doc["components"] = map[string]any{}
	}
	dc := doc["components"].(map[string]any)
	for k, v := range comps {
		mergeInto(dc, k, v)
	}
	return nil
}

// mergeInto copies the entries of add (a map) into parent[key], keeping
// entries parent[key] has already.
func mergeInto(parent map[string]any, key string, add any) {
	am, _ := add.(map[string]any)
	if am == nil {
		return
	}
	cur, _ := parent[key].(map[string]any)
	if cur == nil {
		cur = map[string]any{}
		parent[key] = cur
	}
	for k, v := range am {
		if _, ok := cur[k]; !ok {
			cur[k] = v
		}
	}
}
