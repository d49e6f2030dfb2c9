package dataset_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

var update = flag.Bool("update", false, "rewrite testdata/small from datasettest.Small")

const smallDir = "testdata/small"

var allFiles = []string{dataset.FileIndustries, dataset.FileTowns, dataset.FileQuotas,
	dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises}

// TestWriteDirGolden checks the writer's bytes against testdata/small.
func TestWriteDirGolden(t *testing.T) {
	dir := t.TempDir()
	if err := dataset.WriteDir(datasettest.Small(), dir); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := datasettest.CopyDir(smallDir, dir); err != nil {
			t.Fatal(err)
		}
	}
	assertSameFiles(t, smallDir, dir)
}

// TestRoundTrip reads the golden dataset and writes it again: same bytes.
func TestRoundTrip(t *testing.T) {
	ds, err := dataset.LoadDir(smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Towns) != 2 || len(ds.Parcels) != 5 || len(ds.Protected) != 3 || len(ds.Enterprises) != 4 ||
		len(ds.Quotas) != 4 || len(ds.Industries) != 3 {
		t.Fatalf("counts: %d towns %d parcels %d protected %d enterprises %d quotas %d industries",
			len(ds.Towns), len(ds.Parcels), len(ds.Protected), len(ds.Enterprises), len(ds.Quotas), len(ds.Industries))
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, smallDir, dir)
}

// TestWriteDeterministic writes the same dataset twice, the second time
// with its slices shuffled: same bytes.
func TestWriteDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ds := datasettest.Small()
	if err := dataset.WriteDir(ds, a); err != nil {
		t.Fatal(err)
	}
	rev := func(n int, swap func(i, j int)) {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			swap(i, j)
		}
	}
	rev(len(ds.Parcels), func(i, j int) { ds.Parcels[i], ds.Parcels[j] = ds.Parcels[j], ds.Parcels[i] })
	rev(len(ds.Towns), func(i, j int) { ds.Towns[i], ds.Towns[j] = ds.Towns[j], ds.Towns[i] })
	rev(len(ds.Quotas), func(i, j int) { ds.Quotas[i], ds.Quotas[j] = ds.Quotas[j], ds.Quotas[i] })
	rev(len(ds.Enterprises), func(i, j int) { ds.Enterprises[i], ds.Enterprises[j] = ds.Enterprises[j], ds.Enterprises[i] })
	rev(len(ds.Industries[0].Related), func(i, j int) {})
	if err := dataset.WriteDir(ds, b); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, a, b)
}

// TestBadInputs runs the shared table of broken datasets.
// maxMessage is the most a bad input's error message may take, bytes.
const maxMessage = 2000

func TestBadInputs(t *testing.T) {
	for _, c := range datasettest.BadCases() {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			if err := c.Apply(dir, smallDir); err != nil {
				t.Fatal(err)
			}
			var handed int
			_, err := dataset.ReadDir(dir, dataset.Options{}, dataset.Handler{
				Parcel:     func(planner.Parcel) error { handed++; return nil },
				Enterprise: func(planner.Enterprise) error { handed++; return nil },
			})
			if err == nil {
				t.Fatal("read succeeded; want an error")
			}
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("code %q, want %q (err %v)", planner.ErrorCode(err), planner.EINVALID, err)
			}
			for _, w := range c.Want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			// however large the bad value, the message stays readable (ids are not echoed whole)
			if n := len(err.Error()); n > maxMessage {
				t.Errorf("the message has %d bytes, more than %d", n, maxMessage)
			}
			t.Logf("%v", err)
		})
	}
}

func assertSameFiles(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range allFiles {
		w, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		g, err := os.ReadFile(filepath.Join(got, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w, g) {
			t.Errorf("%s differs from %s:\nwant %s\ngot  %s", filepath.Join(got, f), filepath.Join(want, f), firstDiff(w, g), firstDiff(g, w))
		}
	}
}

// firstDiff shows a's text around the first byte where a and b differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-60), min(len(a), i+60)
	return string(a[lo:hi])
}

// TestStreamWritersNeedIDOrder: the streaming writers refuse an id that
// does not come after the previous one (the order makes the bytes).
func TestStreamWritersNeedIDOrder(t *testing.T) {
	ds := datasettest.Small()
	var b bytes.Buffer
	pw := dataset.NewParcelWriter(&b)
	if err := pw.Write(&ds.Parcels[1]); err != nil {
		t.Fatal(err)
	}
	if err := pw.Write(&ds.Parcels[0]); err == nil || !strings.Contains(err.Error(), "ascending id order") {
		t.Errorf("P-01 after P-02: err %v", err)
	}
	ew := dataset.NewEnterpriseWriter(&b)
	if err := ew.Write(&ds.Enterprises[0]); err != nil {
		t.Fatal(err)
	}
	if err := ew.Write(&ds.Enterprises[0]); err == nil {
		t.Error("the same enterprise twice: no error")
	}
}
