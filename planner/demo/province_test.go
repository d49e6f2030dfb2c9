package demo

import (
	"flag"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// TestProvince: a demo province's counties are distinct (each drawn with
// its own seed stream), apart (their boundaries' boxes do not meet), each
// with its own towns, quotas, parks, candidates, protected land and
// firms, and every id is unique across counties.
func TestProvince(t *testing.T) {
	const n = 4
	ds, err := Province(Options{Seed: seedDemo}, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Counties) != n || len(ds.Towns) != n*len(cixiTowns) {
		t.Fatalf("%d counties, %d towns", len(ds.Counties), len(ds.Towns))
	}
	type tally struct{ towns, quotas, existing, candidates, protected, firms int }
	per := map[string]*tally{}
	byTown := map[string]string{}
	for _, c := range ds.Counties {
		if c.Implied || c.NameZh == "" || c.Prefecture == "" || len(c.Boundary) == 0 || !planar.MultiPolygonContains(c.Boundary, c.Seat) {
			t.Errorf("county %+v: want a named county with a boundary holding its seat", c.Code)
		}
		per[c.Code] = &tally{}
	}
	for _, tw := range ds.Towns {
		if !strings.HasPrefix(tw.Code, tw.County+"-") || per[tw.County] == nil {
			t.Errorf("town %s in county %q", tw.Code, tw.County)
			continue
		}
		per[tw.County].towns++
		byTown[tw.Code] = tw.County
	}
	for _, q := range ds.Quotas {
		per[byTown[q.Town]].quotas++
	}
	candidates := map[string][]orb.Bound{}
	for _, p := range ds.Parcels {
		c := byTown[p.Town]
		if !strings.HasPrefix(p.ID, c+"-") {
			t.Errorf("parcel %s of county %s lacks its prefix", p.ID, c)
		}
		if p.Kind == planner.KindExisting {
			per[c].existing++
		}
		if !p.Kind.Locked() {
			per[c].candidates++
			candidates[c] = append(candidates[c], p.Geometry.Bound())
		}
	}
	for _, a := range ds.Protected {
		c, _, _ := strings.Cut(a.ID, "-")
		if per[c] == nil {
			t.Errorf("protected area %s has no county prefix", a.ID)
			continue
		}
		per[c].protected++
	}
	for _, e := range ds.Enterprises {
		c := byTown[e.Town]
		if !strings.HasPrefix(e.ID, c+"-") {
			t.Errorf("firm %s of county %s lacks its prefix", e.ID, c)
		}
		per[c].firms++
	}
	for code, x := range per {
		if x.towns != len(cixiTowns) || x.quotas == 0 || x.existing != 11 || x.candidates != candidatesPerCounty || x.protected == 0 || x.firms < 2000 {
			t.Errorf("county %s: %+v", code, *x)
		}
	}
	// distinct: the counties' candidates are not the same sites moved
	first := ds.Counties[0].Boundary.Bound()
	for _, c := range ds.Counties[1:] {
		off := orb.Point{c.Boundary.Bound().Min[0] - first.Min[0], c.Boundary.Bound().Min[1] - first.Min[1]}
		same := 0
		for i, b := range candidates[c.Code] {
			a := candidates[ds.Counties[0].Code][i]
			if planar.Distance(addPt(a.Min, off), b.Min) < 1e-6 {
				same++
			}
		}
		if same > len(candidates[c.Code])/2 {
			t.Errorf("county %s repeats %d of county %s's candidate sites", c.Code, same, ds.Counties[0].Code)
		}
	}
	for i := range ds.Counties {
		for j := i + 1; j < len(ds.Counties); j++ {
			if ds.Counties[i].Boundary.Bound().Intersects(ds.Counties[j].Boundary.Bound()) {
				t.Errorf("counties %s and %s overlap", ds.Counties[i].Code, ds.Counties[j].Code)
			}
		}
	}
	ids := map[string]bool{}
	for _, id := range allIDs(ds) {
		if ids[id] {
			t.Errorf("id %s used twice", id)
		}
		ids[id] = true
	}
}

func allIDs(ds *planner.Dataset) []string {
	var out []string
	for _, x := range ds.Towns {
		out = append(out, "town "+x.Code)
	}
	for _, x := range ds.Parcels {
		out = append(out, x.ID)
	}
	for _, x := range ds.Protected {
		out = append(out, x.ID)
	}
	for _, x := range ds.Enterprises {
		out = append(out, x.ID)
	}
	return out
}

// TestProvinceOfOne: a province of one county is the demo as it always
// was (the bytes are pinned in cmd/parkplan's TestDemoBytesUnchanged).
func TestProvinceOfOne(t *testing.T) {
	one, err := Province(Options{Seed: seedDemo}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, generate(t, seedDemo, 1)) {
		t.Error("Province(opts, 1) differs from Generate(opts)")
	}
	if !reflect.DeepEqual(one.Counties, []planner.County{planner.DefaultCounty()}) {
		t.Errorf("counties %+v, want the implied default county", one.Counties)
	}
}

func TestProvinceBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     Options
		counties int
	}{
		{"no county", Options{}, 0},
		{"too many counties", Options{}, MaxCounties + 1},
		{"scale and counties", Options{Scale: 2}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Province(tc.opts, tc.counties); planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("error %v, want EINVALID", err)
			}
		})
	}
}

// benchCounties sizes BenchmarkProvince (scripts/bench-counties.sh times
// the CLI at 12, 30 and 90).
var benchCounties = flag.Int("bench.counties", 12, "counties of the province BenchmarkProvince generates and writes")

// BenchmarkProvince generates a demo province of -bench.counties counties
// (seed DefaultSeed) and writes it as a dataset directory.
func BenchmarkProvince(b *testing.B) {
	b.ReportAllocs()
	dir := b.TempDir()
	for b.Loop() {
		ds, err := Province(Options{Seed: DefaultSeed}, *benchCounties)
		if err != nil {
			b.Fatal(err)
		}
		if err := dataset.WriteDir(ds, dir); err != nil {
			b.Fatal(err)
		}
	}
}
