package dataset_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// hashOf reads dir with opt and returns its content hash.
func hashOf(t *testing.T, dir string, opt dataset.Options) (string, error) {
	t.Helper()
	h, sum := dataset.ContentHash(dataset.Handler{})
	_, err := dataset.ReadDir(dir, opt, h)
	return sum(), err
}

// TestVertexLimit (issue 10, finding 7): a geometry with more positions
// than Options.MaxVertices is refused, naming the feature and the limit;
// the default limit lets the fixture through.
func TestVertexLimit(t *testing.T) {
	for _, tc := range []struct {
		name string
		max  int
		want string // "" = no error
	}{
		{"default", 0, ""},
		{"every ring fits", 10, ""},
		{"a parcel with a hole is too large", 9, "parcels.geojson: feature 3 (id P-04): geometry.coordinates: has 10 positions; one geometry may have at most 9 (--max-vertices)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ReadDir(smallDir, dataset.Options{MaxVertices: tc.max}, dataset.Handler{})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("read: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("read: %v; want an error containing %q", err, tc.want)
			case tc.want != "" && planner.ErrorCode(err) != planner.EINVALID:
				t.Errorf("code %q, want invalid", planner.ErrorCode(err))
			}
		})
	}
}

// TestBOMAccepted (issue 10, finding 11): GeoJSON files that start with a
// UTF-8 byte order mark (Windows tools write one) read as without it, to
// the same content hash.
func TestBOMAccepted(t *testing.T) {
	dir := t.TempDir()
	if err := datasettest.CopyDir(dir, smallDir); err != nil {
		t.Fatal(err)
	}
	for _, f := range allFiles {
		p := filepath.Join(dir, f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append([]byte("\xef\xbb\xbf"), b...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := hashOf(t, smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := hashOf(t, dir, dataset.Options{})
	if err != nil {
		t.Fatalf("files with a BOM: %v", err)
	}
	if got != want {
		t.Errorf("content hash with BOMs %s, without %s", got, want)
	}
}

// TestContentHash: the hash names the content: the same files give the
// same hash, one changed figure another.
func TestContentHash(t *testing.T) {
	a, err := hashOf(t, smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := hashOf(t, smallDir, dataset.Options{})
	if len(a) != 64 || a != b {
		t.Fatalf("hashes of the same files: %q and %q", a, b)
	}
	dir := t.TempDir()
	if err := datasettest.CopyDir(dir, smallDir); err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(dir, dataset.FileQuotas)
	csv, err := os.ReadFile(q)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(q, []byte(strings.Replace(string(csv), "45.5", "45.25", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := hashOf(t, dir, dataset.Options{}); err != nil || c == a {
		t.Errorf("a changed quota gives hash %s (%v), the same as the original's", c, err)
	}
}
