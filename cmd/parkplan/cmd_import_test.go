package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// runCLI runs `parkplan args…` and returns the exit code and output.
func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestImportExportCLI drives migrate, import, summary and export as a
// user would, on a fresh database.
func TestImportExportCLI(t *testing.T) {
	dbURL := postgisTestDB(t, "import")
	small := "../../planner/dataset/testdata/small"

	code, out, errOut := runCLI("migrate", "status", "--db", dbURL)
	if code != 0 || !strings.Contains(out, "pending  00001_postgis.sql") {
		t.Fatalf("migrate status: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI("import", small, "--db", dbURL)
	if code != 0 || !strings.Contains(out, "5 parcels") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI("summary", "--db", dbURL)
	if code != 0 || !strings.Contains(out, "towns: 2") || !strings.Contains(out, "existing") {
		t.Fatalf("summary: %d\n%s", code, out)
	}
	outDir := t.TempDir()
	if code, out, errOut = runCLI("export", "--db", dbURL, "--out", outDir); code != 0 {
		t.Fatalf("export: %d\n%s%s", code, out, errOut)
	}
	for _, f := range []string{"parcels.geojson", "towns.geojson", "quotas.csv"} {
		a, _ := os.ReadFile(filepath.Join(small, f))
		b, _ := os.ReadFile(filepath.Join(outDir, f))
		if !bytes.Equal(a, b) {
			t.Errorf("exported %s differs from the imported one", f)
		}
	}

	// a bad file: exit 2, the place named, nothing changed
	bad := datasettest.BadCases()[0]
	badDir := t.TempDir()
	if err := bad.Apply(badDir, small); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI("import", "--db", dbURL, badDir)
	if code != 2 || !strings.Contains(errOut, bad.Want[0]) {
		t.Errorf("bad import: exit %d, stderr %q; want 2 and %q", code, errOut, bad.Want[0])
	}
	if code, out, _ = runCLI("summary", "--db", dbURL); !strings.Contains(out, "towns: 2") {
		t.Errorf("after the failed import the summary changed:\n%s", out)
	}

	// projected input needs a declared CRS
	code, _, errOut = runCLI("import", small, "--db", dbURL, "--crs", "EPSG:4549")
	if code != 2 || !strings.Contains(errOut, "looks like lon/lat degrees") {
		t.Errorf("import --crs EPSG:4549 of lon/lat files: exit %d, %q", code, errOut)
	}
	// --check validates without a database
	if code, out, errOut = runCLI("import", "--check", small, "--db", "postgres://nobody@127.0.0.1:1/none"); code != 0 || !strings.Contains(out, "is valid") {
		t.Errorf("import --check of the fixture: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut = runCLI("import", "--check", badDir); code != 2 || !strings.Contains(errOut, bad.Want[0]) {
		t.Errorf("import --check of a bad dataset: exit %d, %q", code, errOut)
	}
	// --check and the import agree on values only the database used to
	// refuse (issue 10, finding 9): both exit 2 naming file, feature, id and field.
	for _, c := range datasettest.BadCases() {
		if c.Name != "firms beyond the database's integer" && c.Name != "NUL in a name" {
			continue
		}
		dir := t.TempDir()
		if err := c.Apply(dir, small); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"import", "--check", dir}, {"import", "--db", dbURL, dir}} {
			if code, _, errOut := runCLI(args...); code != 2 || !strings.Contains(errOut, c.Want[0]) {
				t.Errorf("%s: %v: exit %d, %q; want 2 and %q", c.Name, args[:2], code, errOut, c.Want[0])
			}
		}
	}
	// --max-vertices caps the positions of one geometry (issue 10, finding 7)
	code, _, errOut = runCLI("import", "--check", "--max-vertices", "9", small)
	if code != 2 || !strings.Contains(errOut, "(id P-04): geometry.coordinates: has 10 positions; one geometry may have at most 9 (--max-vertices)") {
		t.Errorf("import --check --max-vertices 9: exit %d, %q", code, errOut)
	}
	if code, _, errOut = runCLI("import", "--db", dbURL); code != 2 {
		t.Errorf("import without DIR: exit %d (%s); want 2", code, errOut)
	}

	// River's tables (the job queue) come and go with parkplan's.
	riverJob := func() bool {
		t.Helper()
		db, err := sql.Open("postgres", dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var name sql.NullString
		if err := db.QueryRow(`SELECT to_regclass('river_job')::text`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		return name.Valid
	}
	if !riverJob() {
		t.Errorf("import's migrations did not create River's river_job")
	}
	code, out, errOut = runCLI("migrate", "down", "--all", "--db", dbURL)
	if code != 0 || !strings.Contains(out, "down 00001") || !strings.Contains(out, "down river 001") {
		t.Fatalf("migrate down --all: %d\n%s%s", code, out, errOut)
	}
	if riverJob() {
		t.Errorf("migrate down --all left River's river_job")
	}
	if code, out, errOut = runCLI("migrate", "--db", dbURL); code != 0 || !strings.Contains(out, "up 00007") || !strings.Contains(out, "up river 001") {
		t.Fatalf("migrate: %d\n%s%s", code, out, errOut)
	}
	if !riverJob() {
		t.Errorf("migrate did not create River's river_job")
	}
	if code, out, _ = runCLI("migrate", "--db", dbURL); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("migrate twice: %d %s", code, out)
	}
}
