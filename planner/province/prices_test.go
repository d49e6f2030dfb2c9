package province

import (
	"math"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// testCoordinator is a coordinator of one pool year (2019, pool mu) over
// counties whose columns the test sets, its price steps all 1.
func testCoordinator(ps *planner.ProvinceScenario, pool float64, ks ...*county) *coordinator {
	co := &coordinator{ps: ps, years: []int{2019}, inPool: []bool{true}, pool: []float64{pool}, counties: ks, targetYear: 2019}
	co.setupRows()
	co.scale = []float64{1, 1, 1}
	return co
}

// TestCuttingPlanePrices: the price master on columns whose model is
// worked out by hand. One pool year of 15 mu; county a has plans worth
// 100 using 10 mu and 90 using none, county b 50 using 10 and 45 using
// none, so
//
//	M(π) = max(100−10π, 90) + max(50−10π, 45) + 15π
//	     = 150 − 5π on [0, 0.5], 145 + 5π on [0.5, 1], 135 + 15π above,
//
// smallest at π = 0.5; within a trust region the minimiser is clipped to
// its edge. A floor counts as use: with b's floor at 10 mu b's plans both
// claim 10, b's cheaper plan never binds, and M(π) = max(100−10π, 90) +
// 50 − 10π + 15π = 150 − 5π on [0, 1], 140 + 5π above: smallest at π = 1.
func TestCuttingPlanePrices(t *testing.T) {
	tests := []struct {
		name           string
		floorB         float64
		centre, radius float64
		want           float64
	}{
		{"unclipped", 0, 0, 10, 0.5},
		{"clipped above", 0, 0, 0.2, 0.2},
		{"clipped below", 0, 2, 1, 1},
		{"floor as use", 10, 0, 10, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &county{code: "a", floor: []float64{0}}
			b := &county{code: "b", floor: []float64{tc.floorB}}
			a.cols = []*column{{value: 100, use: []float64{10}}, {value: 90, use: []float64{0}}}
			b.cols = []*column{{value: 50, use: []float64{10}}, {value: 45, use: []float64{0}}}
			co := testCoordinator(&planner.ProvinceScenario{MaxNewLandParks: -1}, 15, a, b)
			got, ok := co.cuttingPlanePrices([]float64{tc.centre, 0, 0}, tc.radius)
			if !ok {
				t.Fatal("the price master failed")
			}
			if math.Abs(got[0]-tc.want) > 1e-7 {
				t.Errorf("price %.9f, want %.9f", got[0], tc.want)
			}
		})
	}
}

// TestCuttingPlanePricesTarget: the price master with a province-wide
// target of 2 parks (and a pool of 1,000 mu that never binds, so its
// price stays 0). County a has plans worth 100 with 1 park and 90 with
// 2, county b 50 with none and 40 with 1 (10 mu each in a, none in b):
//
//	M(0, λ) = max(100+λ, 90+2λ) + max(50, 40+λ) − 2λ
//	        = 150 − λ on [0, 10], 130 + λ above,
//
// smallest at λ = 10; within a trust region clipped to its edge.
func TestCuttingPlanePricesTarget(t *testing.T) {
	tests := []struct {
		name          string
		centre, theta float64
		want          float64
	}{
		{"unclipped", 0, 100, 10},
		{"clipped above", 0, 4, 4},
		{"clipped below", 20, 5, 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &county{code: "a", floor: []float64{0}}
			b := &county{code: "b", floor: []float64{0}}
			a.cols = []*column{{value: 100, use: []float64{10}, byTarget: 1}, {value: 90, use: []float64{10}, byTarget: 2}}
			b.cols = []*column{{value: 50, use: []float64{0}}, {value: 40, use: []float64{0}, byTarget: 1}}
			co := testCoordinator(&planner.ProvinceScenario{TargetParks: 2, TargetYear: 2019, MaxNewLandParks: -1}, 1000, a, b)
			got, ok := co.cuttingPlanePrices([]float64{0, tc.centre, 0}, tc.theta)
			if !ok {
				t.Fatal("the price master failed")
			}
			if math.Abs(got[1]-tc.want) > 1e-7 || got[0] > 1e-9 {
				t.Errorf("prices %v, want pool 0 and target %v", got, tc.want)
			}
			// the provincial bound's price terms: +π·pool − λ·target
			if bt := co.boundTerms([]float64{0.5, 3, 0}); math.Abs(bt-(0.5*1000-3*2)) > 1e-9 {
				t.Errorf("bound terms %v, want %v", bt, 0.5*1000-3*2)
			}
		})
	}
}
