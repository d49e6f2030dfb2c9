package planner

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"go.yaml.in/yaml/v3"
)

// String returns d as a Go duration string ("10s").
func (d Duration) String() string { return d.Duration.String() }

// MarshalJSON writes d as a duration string ("1m30s").
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.Duration.String()) }

// UnmarshalJSON reads a duration string ("90s", "2m") or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return d.parse(s)
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("want a duration such as \"10s\", got %s", b)
	}
	v, err := secondsDuration(f)
	d.Duration = v
	return err
}

// maxDurationSeconds is the longest time.Duration in seconds (about 292 years).
const maxDurationSeconds = float64(math.MaxInt64) / float64(time.Second)

// secondsDuration converts a number of seconds, refusing what a
// time.Duration cannot hold (1e300 seconds wrapped round to a negative
// duration before).
func secondsDuration(f float64) (time.Duration, error) {
	if !(f >= -maxDurationSeconds && f <= maxDurationSeconds) {
		return 0, fmt.Errorf("%v seconds overflows a duration (at most %.0f s, about 292 years)", f, maxDurationSeconds)
	}
	return time.Duration(f * float64(time.Second)), nil
}

// parseDuration parses a duration string ("90s", "2m").
func parseDuration(s string) (time.Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as \"10s\" or \"2m\", got %q", s)
	}
	return v, nil
}

// MarshalYAML writes d as a duration string.
func (d Duration) MarshalYAML() (any, error) { return d.Duration.String(), nil }

// UnmarshalYAML reads a duration string ("90s") or a number of seconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration such as \"10s\"", n.Line)
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		var f float64
		if err := n.Decode(&f); err != nil {
			return err
		}
		v, err := secondsDuration(f)
		if err != nil {
			return fmt.Errorf("line %d: %v", n.Line, err)
		}
		d.Duration = v
		return nil
	}
	if err := d.parse(n.Value); err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	return nil
}

func (d *Duration) parse(s string) error {
	v, err := parseDuration(s)
	d.Duration = v
	return err
}
