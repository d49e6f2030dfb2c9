package data

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/geo/mvt"
	"github.com/parkplan/parkplan/planner"
)

// TestTileRowMigration checks that every layer with a tile row has it in
// its table as a generated column whose expression is exactly
// tileRowExpr of the layer's definition (as PostgreSQL prints both), so
// the layer's properties stay defined in one place: a property added to
// the layer without a migration that regenerates the column fails here.
func TestTileRowMigration(t *testing.T) {
	db := complianceDB(t)
	ctx := context.Background()
	n := 0
	for _, l := range layers() {
		if l.tileRow == "" {
			continue
		}
		n++
		t.Run(l.name, func(t *testing.T) {
			table := strings.Fields(l.from)[0]
			col := l.tileRow[strings.IndexByte(l.tileRow, '.')+1:]
			want, err := tileRowExpr(&l)
			if err != nil {
				t.Fatal(err)
			}
			const sqlGenExpr = `select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
				join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
				where d.adrelid = $1::regclass and a.attname = $2 and a.attgenerated = 's'`
			var got string
			if err := db.QueryRowContext(ctx, sqlGenExpr, table, col).Scan(&got); err != nil {
				t.Fatalf("generated column %s.%s: %v", table, col, err)
			}
			// The definition's expression, printed by PostgreSQL the same way.
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			for _, q := range []string{"create temp table tile_row_check (like " + table + ") on commit drop",
				"alter table tile_row_check drop column " + col,
				"alter table tile_row_check add column " + col + " bytea generated always as (" + want + ") stored"} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			var def string
			if err := tx.QueryRowContext(ctx, sqlGenExpr, "tile_row_check", col).Scan(&def); err != nil {
				t.Fatal(err)
			}
			if got != def {
				t.Errorf("%s.%s is generated as\n%s\nthe layer's definition (tileRowExpr) as\n%s\nwrite a migration that regenerates it", table, col, got, def)
			}
		})
	}
	if n == 0 {
		t.Fatal("no layer has a tile row")
	}
}

// TestTileRowsAsRowValue checks that the parcels' tiles read from the
// stored tile rows are byte for byte the tiles the layer's row value and
// ST_AsBinary give per request (sqlTile, the path of the layers without
// a tile row), on a synthetic county with parcels whose names hold
// quotes, backslashes, separators and Chinese text, and NULL properties,
// at zoom 12 to 16; and that an update of a parcel reaches its tile.
func TestTileRowsAsRowValue(t *testing.T) {
	db := complianceDB(t)
	ctx := context.Background()
	county, err := os.ReadFile("../scripts/bench-api.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, strings.ReplaceAll(string(county), "{{parcels}}", "3000")); err != nil {
		t.Fatal(err)
	}
	names := []string{`quote "q" and ""two""`, `back\slash \\ \x41`, `a,b (c) {d}`, "周巷工业园", " padded ", "NULL", ""}
	for i, name := range names {
		lon := 121.1960 + 0.0005*float64(i)
		if _, err := db.ExecContext(ctx, `insert into parcel (id, town, kind, name, area_mu, far, cost_wan, floor_m2, firms, specialty, open_year, geom)
			values ($1, 't0', 'new_land', $2, $3, 1.2, 0.1, 0, 0, null, null,
			ST_Multi(ST_Difference(ST_MakeEnvelope($4::float8, 30.1503, $4::float8 + 0.0003, 30.1506, 4490), ST_MakeEnvelope($4::float8 + 0.0001, 30.1504, $4::float8 + 0.0002, 30.1505, 4490))))`,
			"X"+string(rune('a'+i)), name, 1.0/3+float64(i), lon); err != nil {
			t.Fatalf("parcel %q: %v", name, err)
		}
	}
	s := NewFeatureStore(db)
	defer s.Close()
	l, _, err := s.resolve("parcels")
	if err != nil {
		t.Fatal(err)
	}
	if l.tileRow == "" {
		t.Fatal("the parcels layer has no tile row")
	}
	perRequest := *l
	perRequest.tileRow = ""
	same := func(t *testing.T, tq planner.TileQuery) *planner.Tile {
		t.Helper()
		got, err := s.tile(ctx, tq, l, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.tile(ctx, tq, &perRequest, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.MVT, want.MVT) || got.Features != want.Features {
			t.Fatalf("tile %s: %d features, %d bytes from the tile rows; %d features, %d bytes from the row value",
				tq, got.Features, len(got.MVT), want.Features, len(want.MVT))
		}
		return got
	}
	features := 0
	for z := 12; z <= 16; z++ {
		for _, c := range [][2]float64{{121.1961, 30.1504}, {121.05, 30.05}, {121.31, 30.27}, {121.399, 30.001}} {
			tq := tileAt("parcels", c[0], c[1], z)
			t.Run(tq.String(), func(t *testing.T) { features += same(t, tq).Features })
		}
	}
	if features == 0 {
		t.Fatal("every tile is empty")
	}
	tq := tileAt("parcels", 121.1961, 30.1504, 16)
	tile := same(t, tq)
	for _, name := range names[:5] {
		if !bytes.Contains(tile.MVT, []byte(name)) {
			t.Errorf("tile %s lacks the name %q", tq, name)
		}
	}
	if _, err := db.ExecContext(ctx, `update parcel set name = 'renamed 改名', specialty = 'textile', open_year = 2031 where id = 'Xa'`); err != nil {
		t.Fatal(err)
	}
	if tile = same(t, tq); !bytes.Contains(tile.MVT, []byte("renamed 改名")) {
		t.Errorf("tile %s lacks the updated name", tq)
	}
}

// benchTileRowParcels sizes the synthetic county of BenchmarkTileRows
// (scripts/bench-api.sql; deterministic).
var benchTileRowParcels = flag.Int("tilerow.parcels", 100000, "parcels in BenchmarkTileRows' county")

// BenchmarkTileRows writes the same parcel tiles (zoom 13 and 14 over the
// county's middle, 121.2° E, 30.2° N) from the stored tile rows and from
// the row value and ST_AsBinary per request: the store alone, reading
// and encoding (scripts/bench-scale.sh measures the whole server and
// PostgreSQL's CPU against pg_tileserv).
//
//	go test ./data -run '^$' -bench TileRows [-args -tilerow.parcels=N]
func BenchmarkTileRows(b *testing.B) {
	db := complianceDB(b)
	ctx := context.Background()
	county, err := os.ReadFile("../scripts/bench-api.sql")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, strings.ReplaceAll(string(county), "{{parcels}}", strconv.Itoa(*benchTileRowParcels))); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	s := NewFeatureStore(db)
	defer s.Close()
	l, _, err := s.resolve("parcels")
	if err != nil {
		b.Fatal(err)
	}
	perRequest := *l
	perRequest.tileRow = ""
	for _, z := range []int{13, 14} {
		for _, bc := range []struct {
			name string
			l    *featureLayer
		}{{"tile-row", l}, {"row-value", &perRequest}} {
			b.Run("z"+strconv.Itoa(z)+"/"+bc.name, func(b *testing.B) {
				tq := tileAt("parcels", 121.2, 30.2, z)
				b.ReportAllocs()
				feats := 0
				for b.Loop() {
					t, err := s.tile(ctx, tq, bc.l, nil)
					if err != nil {
						b.Fatal(err)
					}
					feats = t.Features
				}
				if feats == 0 {
					b.Fatalf("tile %s is empty", tq)
				}
				b.ReportMetric(float64(feats), "features/tile")
			})
		}
	}
}

// tileAt returns the tile of collection holding lon/lat at zoom z.
func tileAt(collection string, lon, lat float64, z int) planner.TileQuery {
	n := math.Ldexp(1, z)
	r := lat * math.Pi / 180
	return planner.TileQuery{Collection: collection, Z: z,
		X: int((lon + 180) / 360 * n), Y: int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)}
}

// TestTileRowPropsMalformed checks that a tile row that does not match
// the layer's properties is refused with an error naming the property,
// and that a well-formed one yields its WKB.
func TestTileRowPropsMalformed(t *testing.T) {
	l := &featureLayer{name: "t", props: []featureProp{
		{name: "name", typ: "string"}, {name: "area", typ: "number"}, {name: "n", typ: "integer"}, {name: "ok", typ: "boolean"}}}
	field := func(b ...byte) []byte { return append([]byte{0, 0, 0, byte(len(b))}, b...) }
	null := []byte{0xff, 0xff, 0xff, 0xff}
	eight := make([]byte, 8)
	wkb := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, tc := range []struct {
		name, err string
		row       []byte
	}{
		{"well formed", "", cat(field('a', 'b'), field(eight...), null, field(1), wkb)},
		{"cut short", "cut short before property area", cat(field('a'), []byte{0, 0})},
		{"length past the end", "property name has length 200, 3 bytes left", cat([]byte{0, 0, 0, 200}, []byte("abc"))},
		{"negative length", "property name has length -2", cat([]byte{0xff, 0xff, 0xff, 0xfe}, wkb)},
		{"number of 4 bytes", "number property area has 4 bytes (want 8)", cat(field('a'), field(0, 0, 0, 0), wkb)},
		{"boolean of 2 bytes", "boolean property ok has 2 bytes (want 1)", cat(null, null, null, field(1, 1), wkb)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			layer := mvtLayerForTest()
			keys := []mvt.Key{layer.Key("name"), layer.Key("area"), layer.Key("n"), layer.Key("ok")}
			rest, err := tileRowProps(layer, keys, l, tc.row)
			if tc.err == "" {
				if err != nil || !bytes.Equal(rest, wkb) {
					t.Fatalf("got %x, %v; want the WKB %x", rest, err, wkb)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v; want one containing %q", err, tc.err)
			}
		})
	}
}

// mvtLayerForTest returns an empty layer on a tile at zoom 16.
func mvtLayerForTest() *mvt.Layer {
	return mvt.NewLayer("t", mvt.Tile{Z: 16, X: 1, Y: 1, Extent: tileExtent, Buffer: tileBuffer})
}
