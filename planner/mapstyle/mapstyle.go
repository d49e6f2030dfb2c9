// Package mapstyle is how parkplan draws a plan on a map outside the
// browser: the specialty palette, park symbol sizes by tier and the
// protected-land colours. The map page (web/src/styles.js) draws with the
// same values; change both together.
package mapstyle

import (
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// SpecialtyPalette is twelve colours that stay apart on a light map;
// specialties take them in the sorted order of their codes, then repeat.
var SpecialtyPalette = []string{
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
	"#8c564b", "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39",
}

// NoSpecialtyColour draws a park without a specialty.
const NoSpecialtyColour = "#777777"

// SpecialtyColours gives each specialty code of codes (duplicates and ""
// ignored) its colour: the palette in sorted code order, as the map page
// colours a scenario's parks.
func SpecialtyColours(codes []string) map[string]string {
	seen := map[string]bool{}
	var sorted []string
	for _, c := range codes {
		if c != "" && !seen[c] {
			seen[c] = true
			sorted = append(sorted, c)
		}
	}
	sort.Strings(sorted)
	out := make(map[string]string, len(sorted))
	for i, c := range sorted {
		out[c] = SpecialtyPalette[i%len(SpecialtyPalette)]
	}
	return out
}

// TierRadiusPx is a park symbol's radius in pixels at screen scale:
// bigger tier, bigger dot.
var TierRadiusPx = map[planner.Tier]float64{planner.TierBasic: 6, planner.TierStandard: 9, planner.TierComplex: 13}

// Fill is a fill colour with its opacity (0–1) and the outline colour.
type Fill struct {
	Colour  string
	Opacity float64
	Stroke  string
}

// Protected are the 三区三线 layers' colours.
var Protected = map[planner.ProtectedKind]Fill{
	planner.ProtectedFarmland:    {Colour: "#74c476", Opacity: 0.35, Stroke: "#74c476"},
	planner.ProtectedRedline:     {Colour: "#de2d26", Opacity: 0.25, Stroke: "#de2d26"},
	planner.ProtectedDevBoundary: {Colour: "#9e9ac8", Opacity: 0.10, Stroke: ""},
}

// Town is the town boundaries' fill and outline.
var Town = Fill{Colour: "#faf8f0", Opacity: 0.6, Stroke: "#8a8a8a"}
