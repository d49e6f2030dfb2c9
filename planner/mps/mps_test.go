package mps_test

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
)

func TestNum(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-7, "-7"}, {0.3, "0.3"}, {-0.7, "-0.7"},
		{0.30000000000000004, "0.3"}, {123456.789, "123456.789"},
		{1.0 / 3, "0.3333333333"}, {-1.0 / 3, "-0.333333333"}, {1e15, "1e+15"}, {-2.5e-12, "-2.5e-12"},
	}
	for _, c := range cases {
		got := mps.Num(c.v)
		if got != c.want || len(got) > 12 {
			t.Errorf("Num(%v) = %q, want %q (≤ 12 characters)", c.v, got, c.want)
		}
	}
}

// TestFixedLayout checks every line of the MPS against the fixed-format
// columns: names of ≤ 8 characters starting in columns 5 and 15, numbers
// in columns 25–36.
func TestFixedLayout(t *testing.T) {
	inst := randinst.Generate(3, randinst.Small())
	var b bytes.Buffer
	if err := mps.Build(inst).Write(&b); err != nil {
		t.Fatal(err)
	}
	section := ""
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if line[0] != ' ' {
			section = strings.Fields(line)[0]
			continue
		}
		switch section {
		case "ROWS":
			if len(line) > 12 || len(strings.Fields(line)) != 2 {
				t.Fatalf("line %d: ROWS entry %q", i+1, line)
			}
		case "COLUMNS", "RHS", "BOUNDS":
			if strings.Contains(line, "MARKER") {
				continue
			}
			if len(line) > 36 || line[12] != ' ' || line[13] != ' ' || line[22] != ' ' || line[23] != ' ' {
				t.Fatalf("line %d: %q breaks the fixed columns", i+1, line)
			}
			for _, name := range []string{line[4:12], line[14:22]} {
				if n := strings.TrimSpace(name); n == "" || strings.Contains(n, " ") {
					t.Fatalf("line %d: bad name field %q", i+1, name)
				}
			}
		}
	}
}

// TestCBCReadsModel writes random models and has CBC read them back: the
// row, column and element counts CBC reports must be ours, with 0 errors.
func TestCBCReadsModel(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Fatal("cbc is not installed (make test installs coinor-cbc via scripts/deps.sh)")
	}
	for _, seed := range []int64{1, 2, 3} {
		inst := randinst.Generate(seed, randinst.Small())
		m := mps.Build(inst)
		path := filepath.Join(t.TempDir(), "m.mps")
		f, _ := os.Create(path)
		if err := m.Write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out, err := exec.Command("cbc", path, "-quit").CombinedOutput()
		if err != nil {
			t.Fatalf("seed %d: cbc: %v\n%s", seed, err, out)
		}
		log := string(out)
		if !strings.Contains(log, "read with 0 errors") {
			t.Fatalf("seed %d: CBC reports read errors:\n%s", seed, log)
		}
		want := "has " + itoa(len(m.Rows)) + " rows, " + itoa(len(m.Columns)) + " columns and " + itoa(m.Elements()) + " elements"
		if !strings.Contains(log, want) {
			t.Errorf("seed %d: CBC log lacks %q:\n%s", seed, want, firstLines(log, 12))
		}
	}
}

func itoa(n int) string { return strings.TrimSpace(mps.Num(float64(n))) }

func firstLines(s string, n int) string {
	l := strings.Split(s, "\n")
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n")
}

// TestValuesRoundTrip: a solution turned into column values and back is
// itself, and the rows' objective is the instance's.
func TestValuesRoundTrip(t *testing.T) {
	inst := randinst.Generate(5, randinst.Tiny())
	m := mps.Build(inst)
	sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
	want := 0.0
	for s, site := range inst.Sites {
		sol.Year[s] = -1
		if site.Locked {
			sol.Year[s] = site.LockedYear
			want += site.FixedValue
		}
	}
	for s, site := range inst.Sites {
		if !site.Locked {
			sol.Year[s], sol.Specialty[s] = 0, len(site.Specialties)-1
			want += site.FixedValue
			break
		}
	}
	for a, arc := range inst.Arcs {
		if sol.Year[arc.Site] >= 0 {
			sol.Count[a] = 1
			want += arc.Value
			break
		}
	}
	back, err := m.Solution(m.Values(sol))
	if err != nil {
		t.Fatal(err)
	}
	for s := range sol.Year {
		if back.Year[s] != sol.Year[s] || (sol.Year[s] >= 0 && back.Specialty[s] != sol.Specialty[s]) {
			t.Fatalf("site %d: got year %d spec %d, want %d %d", s, back.Year[s], back.Specialty[s], sol.Year[s], sol.Specialty[s])
		}
	}
	obj, _ := m.Violations(m.Values(sol), 1e-9)
	if math.Abs(obj-want) > 1e-9 {
		t.Errorf("objective from columns %v, want %v", obj, want)
	}
}

// TestBinding fills one park exactly to its capacity and expects
// "capacity <parcel>" among the binding rules, in planning words.
func TestBinding(t *testing.T) {
	inst := randinst.Generate(7, randinst.Tiny())
	arc := inst.Arcs[0]
	g := inst.Groups[arc.Group]
	inst.Sites[arc.Site].CapacityM2 = g.FloorM2 // room for exactly one firm
	m := mps.Build(inst)
	sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
	for s, site := range inst.Sites {
		sol.Year[s] = -1
		if site.Locked {
			sol.Year[s] = site.LockedYear
		}
	}
	sol.Year[arc.Site] = inst.Sites[arc.Site].LockedYear
	sol.Count[0] = 1
	got := m.Binding(m.Values(sol))
	want := "capacity " + inst.Sites[arc.Site].ParcelID
	if !strings.Contains(strings.Join(got, "|"), want) {
		t.Errorf("binding %q lacks %q", got, want)
	}
	for _, b := range got {
		if strings.HasPrefix(b, "rule") {
			t.Errorf("binding %q is not in planning words", b)
		}
	}
}
