package data_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/demo"
)

// monitoringRows counts the stored monitoring rows per table and year.
func monitoringRows(t *testing.T, db *data.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	rows, err := db.SQL().QueryContext(context.Background(),
		`SELECT 'park/' || year, count(*) FROM monitoring_park GROUP BY year UNION ALL SELECT 'firm/' || year, count(*) FROM monitoring_firm GROUP BY year`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// TestMonitoringImport imports the demo county and its two years of
// synthetic monitoring: the stored record is what the demo made; a year
// imported again replaces that year only; bad records are refused with
// file, line and field and leave the store as it was.
func TestMonitoringImport(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	want := demo.Monitoring(ds, demo.DefaultSeed)
	monDir := filepath.Join(dir, dataset.DirMonitoring)
	if err := dataset.WriteMonitoringDir(want, monDir); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, dir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	n, err := db.ImportMonitoring(ctx, monDir, 2026, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(n.Years, []int{2020, 2021}) || n.Parks != len(want.Parks) || n.Firms != len(want.Firms) {
		t.Errorf("counts %+v", n)
	}
	got, err := db.LoadMonitoring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored record differs from the demo's: %d/%d parks, %d/%d firms", len(got.Parks), len(want.Parks), len(got.Firms), len(want.Firms))
	}
	before := monitoringRows(t, db)

	t.Run("a year again replaces that year only", func(t *testing.T) {
		only := &planner.Monitoring{}
		for _, p := range want.Parks {
			if p.Year == 2021 && len(only.Parks) < 2 {
				only.Parks = append(only.Parks, p)
			}
		}
		for _, f := range want.Firms {
			if f.Year == 2021 && (f.ParkID == only.Parks[0].ParkID || f.ParkID == only.Parks[1].ParkID) {
				only.Firms = append(only.Firms, f)
			}
		}
		d := t.TempDir()
		if err := dataset.WriteMonitoringDir(only, d); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportMonitoring(ctx, d, 2026, dataset.Options{}); err != nil {
			t.Fatal(err)
		}
		rows := monitoringRows(t, db)
		if rows["park/2020"] != before["park/2020"] || rows["firm/2020"] != before["firm/2020"] {
			t.Errorf("2020 changed: %v, was %v", rows, before)
		}
		if rows["park/2021"] != 2 || rows["firm/2021"] != len(only.Firms) {
			t.Errorf("2021 not replaced: %v (want 2 parks, %d firms)", rows, len(only.Firms))
		}
		m, err := db.LoadMonitoring(ctx, 2021)
		if err != nil || len(m.Parks) != 2 || m.Years()[0] != 2021 {
			t.Errorf("LoadMonitoring(2021): %v %+v", err, m)
		}
		// Put the full record back for the cases below.
		if _, err := db.ImportMonitoring(ctx, monDir, 2026, dataset.Options{}); err != nil {
			t.Fatal(err)
		}
	})

	bad := func(t *testing.T, edit func(parks, firms string) (string, string), thisYear int, field, msg string) {
		t.Helper()
		pb, _ := os.ReadFile(filepath.Join(monDir, dataset.FileMonitoringParks))
		fb, _ := os.ReadFile(filepath.Join(monDir, dataset.FileMonitoringFirms))
		parks, firms := edit(string(pb), string(fb))
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, dataset.FileMonitoringParks), []byte(parks), 0o644)
		os.WriteFile(filepath.Join(d, dataset.FileMonitoringFirms), []byte(firms), 0o644)
		_, err := db.ImportMonitoring(ctx, d, thisYear, dataset.Options{})
		var es dataset.Errors
		if !errors.As(err, &es) {
			t.Fatalf("want dataset.Errors, got %v", err)
		}
		found := false
		for _, e := range es {
			if e.Field == field && strings.Contains(e.Message, msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("want %s: …%s…; got %v", field, msg, err)
		}
		if rows := monitoringRows(t, db); !reflect.DeepEqual(rows, before) {
			t.Errorf("a refused import wrote: %v, was %v", rows, before)
		}
	}
	lines := func(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
	t.Run("firm in two parks", func(t *testing.T) {
		bad(t, func(parks, firms string) (string, string) {
			fl := lines(firms)
			// Line 2 is the first firm of 2020; give another park the same firm.
			f := strings.Split(fl[1], ",")
			other := strings.Split(lines(parks)[2], ",")[1]
			f[1] = other
			return parks, firms + strings.Join(f, ",") + "\n"
		}, 2026, "monitoring/firms.csv: line "+itoa(len(lines(readFile(t, monDir, dataset.FileMonitoringFirms)))+1)+": firm_id", "is in two parks in 2020")
	})
	t.Run("unknown park", func(t *testing.T) {
		bad(t, func(parks, firms string) (string, string) {
			return parks + "2021,nowhere-E99,1000,0,fire\n", firms
		}, 2026, "monitoring/parks.csv: line "+itoa(len(want.Parks)+2)+": park_id", `no park "nowhere-E99"`)
	})
	t.Run("floor above what was built", func(t *testing.T) {
		bad(t, func(parks, firms string) (string, string) {
			p := strings.Split(lines(parks)[1], ",")
			return parks, firms + "2020," + p[1] + ",913302829999999999,textile,micro," + p[2] + ",100,5,C\n"
		}, 2026, "monitoring/firms.csv: line "+itoa(len(want.Firms)+2)+": floor_m2", "above the")
	})
	t.Run("year in the future", func(t *testing.T) {
		bad(t, func(parks, firms string) (string, string) { return parks, firms }, 2020,
			"monitoring/parks.csv: line "+itoa(len(want.Parks)/2+2)+": year", "2021 is in the future (this year is 2020)")
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
