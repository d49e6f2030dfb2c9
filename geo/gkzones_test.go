package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

const seedGKZones = 4491

func TestCGCS2000Zone(t *testing.T) {
	tests := []struct {
		name     string
		epsg     int
		width    int
		number   int
		prefixed bool
		cm       int
		fe       float64
	}{
		{"6-degree zone 13", 4491, 6, 13, true, 75, 13500000},
		{"6-degree zone 23", 4501, 6, 23, true, 135, 23500000},
		{"6-degree CM 75E", 4502, 6, 13, false, 75, 500000},
		{"6-degree CM 117E", 4509, 6, 20, false, 117, 500000},
		{"3-degree zone 25", 4513, 3, 25, true, 75, 25500000},
		{"3-degree zone 40 (Cixi)", EPSG4528, 3, 40, true, 120, 40500000},
		{"3-degree zone 45", 4533, 3, 45, true, 135, 45500000},
		{"3-degree CM 120E (Cixi)", EPSG4549, 3, 40, false, 120, 500000},
		{"3-degree CM 135E", 4554, 3, 45, false, 135, 500000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, ok := CGCS2000Zone(tt.epsg)
			if !ok {
				t.Fatalf("CGCS2000Zone(%d) not found", tt.epsg)
			}
			if z.WidthDeg != tt.width || z.Number != tt.number || z.Prefixed != tt.prefixed || z.CentralLon != tt.cm {
				t.Errorf("CGCS2000Zone(%d) = %+v", tt.epsg, z)
			}
			if fe := z.Projection().FalseEasting; fe != tt.fe {
				t.Errorf("false easting %v, want %v", fe, tt.fe)
			}
			back, ok := CGCS2000ZoneOf(tt.width, float64(tt.cm), tt.fe)
			if !ok || back.EPSG != tt.epsg {
				t.Errorf("CGCS2000ZoneOf(%d, %d, %v) = %v, %v; want EPSG:%d", tt.width, tt.cm, tt.fe, back.EPSG, ok, tt.epsg)
			}
			if tt.prefixed {
				pz, ok := PrefixZone(tt.fe + 12345)
				if !ok || pz.EPSG != tt.epsg {
					t.Errorf("PrefixZone(%v) = EPSG:%d, %v; want EPSG:%d", tt.fe+12345, pz.EPSG, ok, tt.epsg)
				}
			}
		})
	}
	for _, epsg := range []int{4490, 4555, 2385, 3857} {
		if _, ok := CGCS2000Zone(epsg); ok {
			t.Errorf("CGCS2000Zone(%d) found a zone", epsg)
		}
	}
	if _, ok := PrefixZone(620000); ok {
		t.Errorf("PrefixZone(620000) found a zone for an easting without prefix")
	}
}

// TestCGCS2000ZonesAgreeWithPostGIS checks every code 4491–4554 against
// PostGIS: the registry's name for the code, and PROJ's forward
// projection of a point inside the zone.
func TestCGCS2000ZonesAgreeWithPostGIS(t *testing.T) {
	db := testDB(t)
	r := rand.New(rand.NewPCG(seedGKZones, 0))
	for epsg := gk6PrefixFirst; epsg <= gkLast; epsg++ {
		z, _ := CGCS2000Zone(epsg)
		t.Run(fmt.Sprintf("EPSG:%d", epsg), func(t *testing.T) {
			lon := float64(z.CentralLon) + float64(z.WidthDeg)*(r.Float64()-0.5)
			lat := 20 + 30*r.Float64()
			var name string
			var x, y float64
			err := db.QueryRow(`select s.srtext, ST_X(p), ST_Y(p) from spatial_ref_sys s,
				ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4490), $3::int) p where s.srid = $3`,
				lon, lat, epsg).Scan(&name, &x, &y)
			if err != nil {
				t.Fatal(err)
			}
			if want := `PROJCS["` + z.String() + `"`; len(name) < len(want) || name[:len(want)] != want {
				t.Errorf("spatial_ref_sys names EPSG:%d %.60s…, want %s", epsg, name, want)
			}
			gx, gy := z.Projection().Forward(lon, lat)
			if d := math.Hypot(gx-x, gy-y); d > transformTolM {
				t.Errorf("(%.5f, %.5f): Forward off PostGIS by %.2e m", lon, lat, d)
			}
		})
	}
}
