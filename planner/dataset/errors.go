package dataset

import (
	"fmt"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// DefaultMaxErrors is how many validation errors a read collects before it
// stops: enough to show a pattern, few enough to read.
const DefaultMaxErrors = 20

// Errors is the list of validation errors of a dataset read, in file
// order. Each is a planner.Error with code EINVALID whose Field names the
// file, the feature (index and id) or CSV line, and the property.
type Errors []*planner.Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors in the dataset:", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find the first planner.Error (code EINVALID).
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// collector gathers validation errors up to a cap.
type collector struct {
	max  int
	errs Errors
	full bool // the cap was reached; more errors were dropped
}

func (c *collector) add(field, format string, args ...any) {
	if len(c.errs) >= c.max {
		c.full = true
		return
	}
	c.errs = append(c.errs, planner.FieldErrorf(field, format, args...))
}

func (c *collector) atCap() bool { return len(c.errs) >= c.max }

func (c *collector) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	if c.full {
		c.errs = append(c.errs, planner.FieldErrorf("dataset", "stopped after %d errors", c.max))
	}
	return c.errs
}

// where names a feature in messages: "parcels.geojson: feature 12 (id P-0012)".
func where(file string, index int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s: feature %d", file, index)
	}
	return fmt.Sprintf("%s: feature %d (id %s)", file, index, id)
}

// quote shows a raw JSON value in a message, shortened.
func quote(raw []byte) string {
	const max = 60
	s := string(raw)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
