package ogr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// dumpGPKG writes a GeoPackage with ogr2ogr: the towns, parcels and
// protected land of the test dataset and an empty layer between towns
// and parcels (GDAL writes no COPY block for it). It returns the file
// and its layers as Inspect lists them, by name.
func dumpGPKG(t *testing.T) (string, map[string]Layer) {
	t.Helper()
	dir := t.TempDir()
	ds := datasettest.Small()
	ds.Parcels = datasettest.GenerateParcels(700, 5)
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	gpkg := filepath.Join(dir, "county.gpkg")
	ogr := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, l := range []struct{ name, file, where string }{
		{"towns", "towns.geojson", ""},
		{"empty", "towns.geojson", "1=0"},
		{"parcels", "parcels.geojson", ""},
		{"protected", "protected.geojson", ""},
	} {
		args := []string{"-f", "GPKG", "-append", "-nln", l.name, "-mapFieldType", "StringList=String", gpkg, filepath.Join(dir, l.file)}
		if l.where != "" {
			args = append(args, "-where", l.where)
		}
		ogr(args...)
	}
	layers, err := Inspect(context.Background(), gpkg)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Layer{}
	for _, l := range layers {
		byName[l.Name] = l
	}
	return gpkg, byName
}

// readN reads up to n features (n < 0: all) and returns how many it read.
func readN(t *testing.T, fs dataset.FeatureStream, n int) int {
	t.Helper()
	got := 0
	for n < 0 || got < n {
		f, err := fs.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Geometry == nil || len(f.Values) == 0 {
			t.Fatalf("feature %d: %+v", got, f)
		}
		got++
	}
	return got
}

// TestDumpRunLayers: one ogr2ogr run serves several layers of a source,
// read one after the other as separate streams — whole, cut short, or
// skipped; an empty layer reads as empty; a layer opened out of the run's
// order gets a process of its own; and GDAL's failure reaches Close.
func TestDumpRunLayers(t *testing.T) {
	ctx := context.Background()
	gpkg, layers := dumpGPKG(t)
	names := []string{"towns", "empty", "parcels", "protected"}
	newRuns := func(t *testing.T) (*dumpRuns, []func() (dataset.FeatureStream, error)) {
		rs := &dumpRuns{ctx: ctx, byKey: map[string]*dumpRun{}}
		var opens []func() (dataset.FeatureStream, error)
		for _, n := range names {
			open, err := rs.add(gpkg, "", layers[n], nil)
			if err != nil {
				t.Fatal(err)
			}
			opens = append(opens, open)
		}
		if len(rs.all) != 1 {
			t.Fatalf("%d runs for one GeoPackage, want 1", len(rs.all))
		}
		return rs, opens
	}
	t.Run("in order", func(t *testing.T) {
		rs, opens := newRuns(t)
		defer rs.close()
		rs.start()
		for i, open := range opens {
			fs, err := open()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := readN(t, fs, -1), layers[names[i]].Count; got != want {
				t.Errorf("%s: %d features, want %d", names[i], got, want)
			}
			if err := fs.Close(); err != nil {
				t.Errorf("%s: Close: %v", names[i], err)
			}
		}
	})
	t.Run("skipped and cut short", func(t *testing.T) {
		rs, opens := newRuns(t)
		defer rs.close()
		fs, err := opens[2]() // parcels: towns and empty are let go
		if err != nil {
			t.Fatal(err)
		}
		if got := readN(t, fs, 3); got != 3 {
			t.Fatalf("parcels: read %d", got)
		}
		if err := fs.Close(); err != nil { // the run goes on: protected is still to come
			t.Fatal(err)
		}
		fs, err = opens[3]()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := readN(t, fs, -1), layers["protected"].Count; got != want {
			t.Errorf("protected: %d features, want %d", got, want)
		}
		if err := fs.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Run("out of order", func(t *testing.T) {
		rs, opens := newRuns(t)
		defer rs.close()
		fs, err := opens[3]() // protected first
		if err != nil {
			t.Fatal(err)
		}
		readN(t, fs, -1)
		fs.Close()
		fs, err = opens[0]() // the run is past towns: a process of its own
		if err != nil {
			t.Fatal(err)
		}
		if got, want := readN(t, fs, -1), layers["towns"].Count; got != want {
			t.Errorf("towns: %d features, want %d", got, want)
		}
		if err := fs.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Run("stopped", func(t *testing.T) {
		rs, opens := newRuns(t)
		fs, err := opens[2]()
		if err != nil {
			t.Fatal(err)
		}
		readN(t, fs, 1)
		rs.close() // kills ogr2ogr, waits for it; nothing reported
		if err := fs.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Run("GDAL fails", func(t *testing.T) {
		r := newDumpRun(ctx, gpkg, nil)
		s, err := r.add(layers["towns"], "ogr2ogr county.gpkg towns")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.add(Layer{Name: "no_such_layer"}, "ogr2ogr county.gpkg no_such_layer"); err != nil {
			t.Fatal(err)
		}
		defer r.close()
		fs, err := r.open(s.index)
		if err != nil {
			t.Fatal(err)
		}
		readN(t, fs, -1)
		err = fs.Close()
		if err == nil || !strings.Contains(err.Error(), "no_such_layer") || !strings.Contains(err.Error(), "failed") {
			t.Errorf("Close: %v, want ogr2ogr's failure naming the layer", err)
		}
		if _, err := r.open(s.index); !errors.Is(err, errOutOfOrder) {
			t.Errorf("opening a layer twice: %v, want errOutOfOrder", err)
		}
	})
}

// TestCopyTarget reads the table a COPY line names, as GDAL quotes it.
func TestCopyTarget(t *testing.T) {
	for _, tt := range []struct{ line, table string }{
		{`COPY "public"."parcels" ("g", "id") FROM STDIN;`, "parcels"},
		{`COPY "public"."地块" ("g", "地块编号") FROM STDIN;`, "地块"},
		{`COPY "public"."q""uo" ("g") FROM STDIN;`, `q"uo`},
		{`COPY "My Layer"."v2" ("g") FROM STDIN;`, "v2"},
	} {
		table, cols, err := copyTarget(tt.line)
		if err != nil || table != tt.table || len(cols) == 0 {
			t.Errorf("copyTarget(%q) = %q, %q, %v; want table %q", tt.line, table, cols, err, tt.table)
		}
	}
	if _, _, err := copyTarget(`COPY parcels ("g") FROM STDIN;`); err == nil {
		t.Error("an unquoted table was taken")
	}
}

// TestDumpLongRow: a row longer than the decoder's read buffer (a
// polygon of 100,000 vertices: 3.2 MB of hex EWKB) is decoded whole.
func TestDumpLongRow(t *testing.T) {
	const n = 100_000
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"big"},"geometry":{"type":"Polygon","coordinates":[[`)
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / n
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.9f,%.9f]", 121.3+0.01*math.Cos(a), 30.2+0.01*math.Sin(a))
	}
	b.WriteString(`]]}}]}`)
	dir := t.TempDir()
	in, gpkg := filepath.Join(dir, "big.geojson"), filepath.Join(dir, "big.gpkg")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ogr2ogr", "-f", "GPKG", "-nln", "big", gpkg, in).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	layers, err := Inspect(context.Background(), gpkg)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := StreamFeatures(context.Background(), gpkg, layers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	f, err := fs.Next()
	if err != nil {
		t.Fatal(err)
	}
	p, ok := f.Geometry.(orb.Polygon)
	if !ok || len(p) != 1 || len(p[0]) != n+1 || !slices.Equal(f.Columns, []string{"id"}) || string(f.Values[0]) != `"big"` {
		t.Fatalf("got %T with %d rings, columns %v", f.Geometry, len(p), f.Columns)
	}
	if _, err := fs.Next(); err != io.EOF {
		t.Fatalf("after the one feature: %v", err)
	}
	if err := fs.Close(); err != nil {
		t.Fatal(err)
	}
}
