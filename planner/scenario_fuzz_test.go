package planner_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// FuzzLoadScenario feeds the scenario decoder arbitrary YAML and JSON
// (seeds: the shipped scenarios and testdata/fuzz/FuzzLoadScenario, run
// by plain `go test`). Whatever the input: no panic; a refusal is EINVALID
// in every part (the API answers 400/422, never 500); an accepted scenario
// validates, encodes to JSON (no +Inf: issue 10, finding 8), and reads
// back from its own YAML unchanged.
func FuzzLoadScenario(f *testing.F) {
	for _, name := range []string{"baseline", "no-new-land", "parks-22", "tight-quota"} {
		b, err := os.ReadFile("../scenarios/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","quota_scale":1e308,"time_limit":1e300}`))
	f.Add([]byte(`{"name":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sc, err := planner.LoadScenario(bytes.NewReader(b))
		if err != nil {
			parts := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				parts = j.Unwrap()
			}
			for _, p := range parts {
				var pe *planner.Error
				if !errors.As(p, &pe) || pe.Code != planner.EINVALID {
					t.Fatalf("refusal %q is not an EINVALID planner error (%T)", p, p)
				}
			}
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("accepted scenario does not validate: %v", err)
		}
		if _, err := json.Marshal(sc); err != nil {
			t.Fatalf("accepted scenario does not encode: %v", err)
		}
		var y bytes.Buffer
		if err := planner.WriteScenarioYAML(&y, sc); err != nil {
			t.Fatalf("writing YAML: %v", err)
		}
		back, err := planner.LoadScenario(&y)
		if err != nil {
			t.Fatalf("own YAML does not read back: %v\n%s", err, y.Bytes())
		}
		if !reflect.DeepEqual(back, sc) {
			t.Fatalf("YAML round trip changed the scenario:\n got %+v\nwant %+v", back, sc)
		}
	})
}
