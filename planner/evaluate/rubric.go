package evaluate

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/parkplan/parkplan/planner"
)

// Indicator names, as in rubric files and reports.
const (
	IndOccupancy           = "occupancy"
	IndSpecialtyShareFirms = "specialty_share_firms"
	IndSpecialtyShareFloor = "specialty_share_floor"
	IndSmallMicroShare     = "small_micro_share"
	IndOutputPerMu         = "output_per_mu"
	IndTaxPerMu            = "tax_per_mu"
	IndFacilities          = "facilities"
	IndFloorUse            = "floor_use"
)

// indicatorOrder is the order indicators are reported in.
var indicatorOrder = []string{IndOccupancy, IndSpecialtyShareFirms, IndSpecialtyShareFloor, IndSmallMicroShare,
	IndOutputPerMu, IndTaxPerMu, IndFacilities, IndFloorUse}

// Rubric is how indicators become a score and a rating (docs/evaluation.md).
// It is a file; DefaultRubric is default_rubric.yaml, which follows the
// seed's rules and is not an official standard.
type Rubric struct {
	Name          string           `yaml:"name" json:"name"`
	Note          string           `yaml:"note" json:"note"`
	Indicators    map[string]Scale `yaml:"indicators" json:"indicators"`
	Grades        []Grade          `yaml:"grades" json:"grades"`                   // best first
	BrokenRuleCap string           `yaml:"broken_rule_cap" json:"broken_rule_cap"` // best rating a park breaking a rule gets
	TrendSteady   float64          `yaml:"trend_steady" json:"trend_steady"`       // score points
}

// Scale scores an indicator: 0 at Zero, 1 at Full, linear between, clipped.
type Scale struct {
	Weight float64 `yaml:"weight" json:"weight"`
	Zero   float64 `yaml:"zero" json:"zero"`
	Full   float64 `yaml:"full" json:"full"`
}

// Grade is a rating and the lowest score (0–100) that earns it.
type Grade struct {
	Rating   string  `yaml:"rating" json:"rating"`
	MinScore float64 `yaml:"min_score" json:"min_score"`
}

//go:embed default_rubric.yaml
var defaultRubric []byte

// DefaultRubric returns the default rubric (default_rubric.yaml).
func DefaultRubric() Rubric {
	r, err := LoadRubric(bytes.NewReader(defaultRubric))
	if err != nil {
		panic("evaluate: default_rubric.yaml: " + err.Error()) // a build mistake, caught by the tests
	}
	return r
}

// LoadRubric reads a rubric file (YAML), strictly, and validates it;
// errors are EINVALID planner.Errors naming the field.
func LoadRubric(r io.Reader) (Rubric, error) {
	var rb Rubric
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&rb); err != nil {
		return Rubric{}, planner.Errorf(planner.EINVALID, "rubric: %v", err)
	}
	return rb, rb.Validate()
}

// Validate checks a rubric: known indicators, finite weights ≥ 0 summing
// above 0, zero ≠ full, grades best first ending at 0, a known cap.
func (rb Rubric) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, planner.FieldErrorf(field, format, args...))
	}
	known := map[string]bool{}
	for _, n := range indicatorOrder {
		known[n] = true
	}
	total := 0.0
	for name, s := range rb.Indicators {
		f := "indicators." + name
		switch {
		case !known[name]:
			bad(f, "unknown indicator (known: %v)", indicatorOrder)
		case !(s.Weight >= 0) || math.IsInf(s.Weight, 0):
			bad(f+".weight", "must be a number ≥ 0, got %v", s.Weight)
		case s.Zero == s.Full || math.IsNaN(s.Zero) || math.IsNaN(s.Full) || math.IsInf(s.Zero, 0) || math.IsInf(s.Full, 0):
			bad(f, "zero and full must be different finite numbers, got %v and %v", s.Zero, s.Full)
		default:
			total += s.Weight
		}
	}
	if total <= 0 {
		bad("indicators", "the weights must sum above 0")
	}
	if len(rb.Grades) == 0 {
		bad("grades", "at least one grade is needed")
	}
	ratings := map[string]bool{}
	for i, g := range rb.Grades {
		f := fmt.Sprintf("grades[%d]", i)
		if g.Rating == "" || ratings[g.Rating] {
			bad(f+".rating", "must be a new, non-empty name, got %q", g.Rating)
		}
		ratings[g.Rating] = true
		if i > 0 && !(g.MinScore < rb.Grades[i-1].MinScore) {
			bad(f+".min_score", "grades go best first: %v is not below %v", g.MinScore, rb.Grades[i-1].MinScore)
		}
	}
	if n := len(rb.Grades); n > 0 && rb.Grades[n-1].MinScore > 0 {
		bad(fmt.Sprintf("grades[%d].min_score", n-1), "the last grade must start at 0, got %v", rb.Grades[n-1].MinScore)
	}
	if rb.BrokenRuleCap != "" && !ratings[rb.BrokenRuleCap] {
		bad("broken_rule_cap", "%q is not one of the grades", rb.BrokenRuleCap)
	}
	if !(rb.TrendSteady >= 0) {
		bad("trend_steady", "must be ≥ 0, got %v", rb.TrendSteady)
	}
	return errors.Join(errs...)
}

// score is an indicator's 0…1 score on its scale.
func (s Scale) score(v float64) float64 {
	return math.Max(0, math.Min(1, (v-s.Zero)/(s.Full-s.Zero)))
}

// rate turns a score (0–100) into a rating; broken caps it at BrokenRuleCap.
func (rb Rubric) rate(score float64, broken bool) string {
	capAt := -1
	for i, g := range rb.Grades {
		if g.Rating == rb.BrokenRuleCap {
			capAt = i
		}
	}
	for i, g := range rb.Grades {
		if score >= g.MinScore {
			if broken && capAt >= 0 && i < capAt {
				return rb.Grades[capAt].Rating
			}
			return g.Rating
		}
	}
	return rb.Grades[len(rb.Grades)-1].Rating
}
