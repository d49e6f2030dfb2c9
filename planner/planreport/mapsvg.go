package planreport

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mapstyle"
)

// MapSize is the drawn map's size in CSS pixels.
type MapSize struct{ WidthPx, HeightPx float64 }

// Drawing constants of the printed map.
const (
	// mapPaddingPx keeps shapes off the frame.
	mapPaddingPx = 8
	// printTierScale shrinks the map page's tier dots (drawn for a screen
	// zoomed on a town) for a whole county on a 180 mm map.
	printTierScale = 0.5
	// parkMinPx is the smallest half-size a park's parcel is drawn with:
	// a 100-mu parcel is about 1 px wide on a county map.
	parkMinPx = 1.5
)

// DrawMap draws plan on ds as an SVG document of size (at most: the
// height shrinks to the view's proportions): town boundaries
// with their Chinese names, protected land (development boundary, basic
// farmland, ecological red line), and every park as its parcel filled in
// its specialty's colour with a dot sized by tier (mapstyle, as the map
// page draws them). The view is the towns' extent (or the parks' when the
// dataset has no towns), in an equirectangular projection scaled by the
// cosine of its middle latitude, so shapes keep their proportions at
// county scale.
func DrawMap(ds *planner.Dataset, plan *planner.Plan, size MapSize) string {
	parcels := map[string]planner.Parcel{}
	for _, p := range ds.Parcels {
		parcels[p.ID] = p
	}
	var bound orb.Bound
	first := true
	extend := func(g orb.Geometry) {
		if g == nil {
			return
		}
		b := g.Bound()
		if first {
			bound, first = b, false
			return
		}
		bound = bound.Union(b)
	}
	for _, t := range ds.Towns {
		if len(t.Boundary) > 0 {
			extend(t.Boundary)
		}
	}
	if first {
		for _, pk := range plan.Parks {
			if p, ok := parcels[pk.ParcelID]; ok && len(p.Geometry) > 0 {
				extend(p.Geometry)
			}
		}
	}
	pr := newProjection(bound, size)
	// A wide county needs less than the full height: the map is cut to it.
	if h := (bound.Max[1]-bound.Min[1])*pr.scale + 2*mapPaddingPx; h < size.HeightPx {
		pr.offY -= (size.HeightPx - h) / 2
		size.HeightPx = h
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="plan-map" viewBox="0 0 %s %s" width="%s" height="%s" fill-rule="evenodd" role="img" aria-label="规划图">`,
		num(size.WidthPx), num(size.HeightPx), num(size.WidthPx), num(size.HeightPx))
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>`)

	b.WriteString(`<g class="towns">`)
	for _, t := range ds.Towns {
		f := mapstyle.Town
		fmt.Fprintf(&b, `<path d="%s" fill="%s" fill-opacity="%s" stroke="%s" stroke-width="0.8"/>`,
			pr.path(t.Boundary), f.Colour, num(f.Opacity), f.Stroke)
	}
	b.WriteString(`</g>`)

	// Protected land: the boundary first (beneath), then farmland, red line.
	for _, kind := range []planner.ProtectedKind{planner.ProtectedDevBoundary, planner.ProtectedFarmland, planner.ProtectedRedline} {
		f := mapstyle.Protected[kind]
		fmt.Fprintf(&b, `<g class="protected %s" fill="%s" fill-opacity="%s"`, kind, f.Colour, num(f.Opacity))
		// The development boundary's pieces tile it: drawn as an area only.
		if f.Stroke != "" {
			fmt.Fprintf(&b, ` stroke="%s" stroke-opacity="0.8" stroke-width="0.5"`, f.Stroke)
		}
		b.WriteString(`>`)
		for _, a := range ds.Protected {
			if a.Kind == kind {
				fmt.Fprintf(&b, `<path d="%s"/>`, pr.path(a.Geometry))
			}
		}
		b.WriteString(`</g>`)
	}

	specs := make([]string, 0, len(plan.Parks))
	for _, pk := range plan.Parks {
		specs = append(specs, pk.Specialty)
	}
	colours := mapstyle.SpecialtyColours(specs)
	colourOf := func(spec string) string {
		if c, ok := colours[spec]; ok {
			return c
		}
		return mapstyle.NoSpecialtyColour
	}
	b.WriteString(`<g class="parks">`)
	// Bigger tiers first, so small parks' dots stay visible on top.
	parks := append([]planner.Park(nil), plan.Parks...)
	sort.SliceStable(parks, func(i, j int) bool {
		return mapstyle.TierRadiusPx[parks[i].Tier] > mapstyle.TierRadiusPx[parks[j].Tier]
	})
	for _, pk := range parks {
		p, ok := parcels[pk.ParcelID]
		if !ok || len(p.Geometry) == 0 {
			continue // a stale plan's parcel the data no longer has: listed in the tables only
		}
		c := colourOf(pk.Specialty)
		x, y := pr.point(geo.Centroid(p.Geometry))
		r := mapstyle.TierRadiusPx[pk.Tier] * printTierScale
		if r == 0 {
			r = 3
		}
		fmt.Fprintf(&b, `<g class="park" data-parcel="%s">`, html.EscapeString(pk.ParcelID))
		if pb := p.Geometry.Bound(); pr.scale*math.Max(pb.Max[0]-pb.Min[0], pb.Max[1]-pb.Min[1]) > 2*parkMinPx {
			fmt.Fprintf(&b, `<path d="%s" fill="%s" fill-opacity="0.55" stroke="%s" stroke-width="0.8"/>`, pr.path(p.Geometry), c, c)
		}
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#ffffff" stroke-width="0.8"/>`, num(x), num(y), num(r), c)
		b.WriteString(`</g>`)
	}
	b.WriteString(`</g>`)

	b.WriteString(`<g class="labels" font-size="11" fill="#333333" text-anchor="middle" stroke="#ffffff" stroke-width="2.5" paint-order="stroke">`)
	for _, t := range ds.Towns {
		if len(t.Boundary) == 0 {
			continue
		}
		name := t.NameZh
		if name == "" {
			name = t.Code
		}
		x, y := pr.point(geo.Centroid(t.Boundary))
		fmt.Fprintf(&b, `<text x="%s" y="%s">%s</text>`, num(x), num(y), html.EscapeString(name))
	}
	b.WriteString(`</g>`)
	b.WriteString(`<rect width="100%" height="100%" fill="none" stroke="#555555" stroke-width="1"/>`)
	b.WriteString(`</svg>`)
	return b.String()
}

// projection maps lon/lat degrees to the map's pixels (y down).
type projection struct {
	minLon, maxLat float64
	kx             float64 // cos(middle latitude)
	scale          float64 // pixels per degree of latitude
	offX, offY     float64
}

func newProjection(b orb.Bound, size MapSize) projection {
	kx := math.Cos((b.Min[1] + b.Max[1]) / 2 * math.Pi / 180)
	w := (b.Max[0] - b.Min[0]) * kx
	h := b.Max[1] - b.Min[1]
	availW, availH := size.WidthPx-2*mapPaddingPx, size.HeightPx-2*mapPaddingPx
	scale := 1.0
	if w > 0 || h > 0 {
		scale = math.Min(availW/math.Max(w, 1e-12), availH/math.Max(h, 1e-12))
	}
	return projection{minLon: b.Min[0], maxLat: b.Max[1], kx: kx, scale: scale,
		offX: mapPaddingPx + (availW-w*scale)/2, offY: mapPaddingPx + (availH-h*scale)/2}
}

func (p projection) point(pt orb.Point) (x, y float64) {
	return p.offX + (pt[0]-p.minLon)*p.kx*p.scale, p.offY + (p.maxLat-pt[1])*p.scale
}

// path is the SVG path data of g: one closed subpath per ring, positions
// rounded to 0.1 px and repeats dropped (the file stays small).
func (p projection) path(g orb.MultiPolygon) string {
	var b strings.Builder
	for _, poly := range g {
		for _, ring := range poly {
			last := ""
			n := 0
			for _, pt := range ring {
				x, y := p.point(pt)
				s := num(x) + " " + num(y)
				if s == last {
					continue
				}
				if n == 0 {
					b.WriteString("M")
				} else {
					b.WriteString("L")
				}
				b.WriteString(s)
				last = s
				n++
			}
			if n > 0 {
				b.WriteString("Z")
			}
		}
	}
	return b.String()
}

// num writes x with at most one decimal.
func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}
