package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
)

// testSchemaConstraints writes impossible rows straight to the tables
// (past the importer's checks): each is refused by the named constraint.
func testSchemaConstraints(t *testing.T, db *data.DB) {
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	const sq = `ST_GeomFromText('MULTIPOLYGON(((121.1 30.1,121.101 30.1,121.101 30.101,121.1 30.101,121.1 30.1)))', 4490)`
	const bowtie = `ST_GeomFromText('MULTIPOLYGON(((121.1 30.1,121.101 30.101,121.101 30.1,121.1 30.101,121.1 30.1)))', 4490)`
	parcel := func(town, kind, area, geom string) string {
		return `INSERT INTO parcel (id, town, kind, area_mu, far, cost_wan, floor_m2, firms, geom) VALUES ('X-1', '` +
			town + `', '` + kind + `', ` + area + `, 1, 0, 0, 0, ` + geom + `)`
	}
	for _, c := range []struct{ name, sql, want string }{
		{"negative area", parcel("zhouxiang", "new_land", "-5", sq), "parcel_area_mu_check"},
		{"NaN area", parcel("zhouxiang", "new_land", "'NaN'", sq), "parcel_area_mu_check"},
		{"unknown town", parcel("atlantis", "new_land", "5", sq), "parcel_town_fkey"},
		{"unknown kind", parcel("zhouxiang", "park", "5", sq), "parcel_kind_check"},
		{"self-intersecting geometry", parcel("zhouxiang", "new_land", "5", bowtie), "parcel_geom_check"},
		{"wrong SRID", parcel("zhouxiang", "new_land", "5", strings.Replace(sq, "4490", "4326", 1)), "SRID"},
		{"point as parcel", parcel("zhouxiang", "new_land", "5", "ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490)"), "Geometry type"},
		{"negative quota", `INSERT INTO quota VALUES ('zhouxiang', 2030, -1)`, "quota_new_land_mu_check"},
		{"duplicate quota", `INSERT INTO quota VALUES ('zhouxiang', 2019, 1)`, "quota_pkey"},
		{"bad size", `INSERT INTO enterprise VALUES ('E-9', 'zhouxiang', 'appliance', 'huge', 1, 0, 0, 'light', false, true, ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490))`, "enterprise_size_check"},
		{"zero floor need", `INSERT INTO enterprise VALUES ('E-9', 'zhouxiang', 'appliance', 'micro', 0, 0, 0, 'light', false, true, ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490))`, "enterprise_floor_m2_check"},
		{"unknown industry", `INSERT INTO enterprise VALUES ('E-9', 'zhouxiang', 'chemicals', 'micro', 1, 0, 0, 'light', false, true, ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490))`, "enterprise_industry_fkey"},
		{"bad protected kind", `INSERT INTO protected_area VALUES ('Z-1', 'park', '', ` + sq + `)`, "protected_area_kind_check"},
		{"industry related to itself", `INSERT INTO industry_related VALUES ('textile', 'textile')`, "industry_related_check"},
		{"town without industries", `INSERT INTO town VALUES ('t', '镇', '', 'town', '{}', ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490), ` + sq + `, false, 'cixi')`, "town_industries_check"},
		{"town in an unknown county", `INSERT INTO town VALUES ('t', '镇', '', 'town', '{textile}', ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490), ` + sq + `, false, 'atlantis')`, "town_county_fkey"},
		{"county without a boundary", `INSERT INTO county (code, name_zh, prefecture, seat) VALUES ('x', '县', '市', ST_SetSRID(ST_MakePoint(121.1, 30.1), 4490))`, "county_check"},
		{"county without a prefecture", `INSERT INTO county (code, name_zh, prefecture, implied) VALUES ('x', '县', '', true)`, "county_prefecture_check"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.SQL().ExecContext(ctx, c.sql)
			if err == nil {
				t.Fatalf("accepted: %s", c.sql)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
		})
	}
}
