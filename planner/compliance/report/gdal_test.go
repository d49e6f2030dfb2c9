package report

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGDALReadsOutputs opens the GeoJSON of violations and the XLSX
// workbook with GDAL's ogrinfo, as QGIS would: the violations layer has
// the report's features with a polygon for the farmland overlap, and the
// workbook's ledger and violations sheets are layers with the right row
// counts and the Chinese town names.
func TestGDALReadsOutputs(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatal("ogrinfo not found: install gdal-bin (scripts/deps.sh)")
	}
	r := fixtureReport()
	dir := t.TempDir()
	create := func(name string) (io.WriteCloser, error) { return os.Create(name) }
	if err := WriteDir(dir, r, ChartOptions{}, create); err != nil {
		t.Fatal(err)
	}
	ogrinfo := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := exec.Command("ogrinfo", append([]string{"-ro", "-al", "-so"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	count := func(t *testing.T, info, layer string) string {
		t.Helper()
		re := regexp.MustCompile(`(?s)Layer name: ` + layer + `\n.*?Feature Count: (\d+)`)
		m := re.FindStringSubmatch(info)
		if m == nil {
			t.Fatalf("no layer %s in:\n%s", layer, info)
		}
		return m[1]
	}
	t.Run("violations.geojson", func(t *testing.T) {
		info := ogrinfo(t, filepath.Join(dir, "violations.geojson"))
		if n := count(t, info, "violations"); n != "2" {
			t.Errorf("%s features, want 2", n)
		}
		if !strings.Contains(info, "Geometry: Unknown (any)") && !strings.Contains(info, "Multi Polygon") {
			t.Errorf("geometry type:\n%s", info)
		}
	})
	t.Run("check.xlsx", func(t *testing.T) {
		info := ogrinfo(t, filepath.Join(dir, "check.xlsx"))
		if n := count(t, info, "ledger"); n != "4" {
			t.Errorf("ledger: %s rows, want 4", n)
		}
		if n := count(t, info, "violations"); n != "3" {
			t.Errorf("violations: %s rows, want 3 (2 violations + 1 sliver)", n)
		}
		out, err := exec.Command("ogrinfo", "-ro", filepath.Join(dir, "check.xlsx"), "ledger", "-where", "town = 'zhouxiang' AND year = 2020").CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		// GDAL types a column Integer when every value is whole (this fixture's are).
		if !strings.Contains(string(out), "name_zh (String) = 周巷镇") || !regexp.MustCompile(`over_mu \((Real|Integer)\) = 10\n`).Match(out) {
			t.Errorf("ledger row zhouxiang 2020:\n%s", out)
		}
	})
}
