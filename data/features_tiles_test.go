package data_test

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// tileQuery returns the tile of collection holding lon/lat at zoom z.
func tileQuery(collection string, lon, lat float64, z int) planner.TileQuery {
	n := math.Ldexp(1, z)
	r := lat * math.Pi / 180
	return planner.TileQuery{Collection: collection, Z: z,
		X: int((lon + 180) / 360 * n), Y: int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)}
}

// waitTile reads q until its ETag differs from etag (the cache drops on a
// committed change's notification, which arrives asynchronously).
func waitTile(t *testing.T, fs *data.FeatureStore, q planner.TileQuery, etag string) *planner.Tile {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		tile, err := fs.Tile(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if tile.ETag != etag {
			return tile
		}
		if time.Now().After(deadline) {
			t.Fatalf("tile %s unchanged (ETag %s) 5 s after the change", q, etag)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTileCacheFollowsImportAndRerun checks that cached tiles are served
// from memory while nothing changes, and that a re-import of the county
// and a re-run of a scenario (its plan saved again) change the tiles
// they touch: the cache never serves a tile older than the last commit.
func TestTileCacheFollowsImportAndRerun(t *testing.T) {
	t.Run("re-import", func(t *testing.T) {
		db, dbURL := newTestDB(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		fs := data.NewFeatureStore(db.SQL())
		defer fs.Close()
		if err := fs.StartCache(ctx, dbURL, 1<<20, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		// P-01 周巷小微园 (121.12–121.124 E, 30.12–30.124 N).
		q := tileQuery("parcels", 121.122, 30.122, 14)
		a, err := fs.Tile(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fs.Tile(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Features == 0 || !bytes.Contains(a.MVT, []byte("周巷小微园")) {
			t.Fatalf("tile %s: %d features, lacks P-01's name", q, a.Features)
		}
		if &a.MVT[0] != &b.MVT[0] || a.ETag != b.ETag {
			t.Errorf("a repeated tile was read again, not served from the cache")
		}
		// Re-import the county with P-01 renamed.
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(smallDir)); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "parcels.geojson")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, bytes.Replace(src, []byte("周巷小微园"), []byte("周巷新园"), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(ctx, dir, data.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		c := waitTile(t, fs, q, a.ETag)
		if !bytes.Contains(c.MVT, []byte("周巷新园")) || bytes.Contains(c.MVT, []byte("周巷小微园")) || c.Features != a.Features {
			t.Errorf("after the re-import the tile has %d features (was %d) and not only the new name", c.Features, a.Features)
		}
	})

	t.Run("re-run", func(t *testing.T) {
		db, dbURL, fs := featureDBURL(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := fs.StartCache(ctx, dbURL, 1<<20, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		// P000003, a textile park of the base plan.
		var lon, lat float64
		if err := db.SQL().QueryRowContext(ctx, `select ST_X(c), ST_Y(c) from (select ST_Centroid(geom) c from parcel where id = 'P000003') p`).Scan(&lon, &lat); err != nil {
			t.Fatal(err)
		}
		q := tileQuery("base.parks", lon, lat, 16)
		a, err := fs.Tile(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Features == 0 || !bytes.Contains(a.MVT, []byte("textile")) {
			t.Fatalf("tile %s: %d features, lacks the textile park", q, a.Features)
		}
		if b, err := fs.Tile(ctx, q); err != nil || &b.MVT[0] != &a.MVT[0] {
			t.Errorf("a repeated tile was read again, not served from the cache (%v)", err)
		}
		// The scenario runs again and its plan gives the park another specialty.
		plan := &planner.Plan{Scenario: "base", Parks: []planner.Park{
			{ParcelID: "P000003", Town: "t0", Kind: planner.KindNewLand, Specialty: "appliance", OpenYear: 2020, Tier: planner.TierBasic, AreaMu: 36.5, FAR: 2.7},
		}}
		if _, err := data.NewScenarioStore(db.SQL()).SavePlan(ctx, &planner.Scenario{Name: "base"}, plan); err != nil {
			t.Fatal(err)
		}
		c := waitTile(t, fs, q, a.ETag)
		if !bytes.Contains(c.MVT, []byte("appliance")) || bytes.Contains(c.MVT, []byte("textile")) {
			t.Errorf("after the re-run the park's tile does not show its new specialty only")
		}
	})
}
