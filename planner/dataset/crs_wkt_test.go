package dataset_test

import (
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset"
)

// srsWKT asks GDAL (gdalsrsinfo) for the WKT of an EPSG code in a form:
// wkt1, wkt2 (as ogrinfo prints layers) or wkt_esri (a .prj as ArcGIS
// writes it, with no EPSG identifier).
func srsWKT(t *testing.T, form string, epsg int) string {
	t.Helper()
	out, err := exec.Command("gdalsrsinfo", "--single-line", "-o", form, "EPSG:"+strconv.Itoa(epsg)).Output()
	if err != nil {
		t.Fatalf("gdalsrsinfo -o %s EPSG:%d: %v (gdal-bin is needed: scripts/deps.sh installs it)", form, epsg, err)
	}
	return strings.TrimSpace(string(out))
}

// TestCRSFromWKT reads GDAL's WKT of every CGCS2000 Gauss–Krüger zone in
// three forms, and refuses the older datums naming the conversion.
func TestCRSFromWKT(t *testing.T) {
	for _, form := range []string{"wkt1", "wkt2", "wkt_esri"} {
		t.Run(form, func(t *testing.T) {
			for _, epsg := range []int{4490, 4326, 4491, 4501, 4502, 4509, 4512, 4513, 4528, 4533, 4534, 4549, 4554} {
				wkt := srsWKT(t, form, epsg)
				got, err := dataset.CRSFromWKT(wkt)
				want := epsg
				if form == "wkt_esri" && epsg >= 4502 && epsg <= 4512 {
					// an ESRI name may not say the width: the 6° zone or the 3°
					// zone with the same meridian (the same projection) will do
					if alt := 4534 + 2*(epsg-4502); err != nil || (got != epsg && got != alt) {
						t.Errorf("EPSG:%d as %s: got %d, %v; want %d or %d", epsg, form, got, err, epsg, alt)
					}
					continue
				}
				if err != nil || got != want {
					t.Errorf("EPSG:%d as %s: got %d, %v\n%s", epsg, form, got, err, wkt)
				}
			}
		})
	}
	refused := []struct {
		name   string
		epsg   int
		target string
	}{
		{"Xi'an 1980 3-degree CM 120E", 2385, "EPSG:4549"},
		{"Xi'an 1980 3-degree zone 40", 2364, "EPSG:4528"},
		{"Xi'an 1980 lon/lat", 4610, "EPSG:4490"},
		{"Beijing 1954 3-degree CM 120E", 2437, "EPSG:4549"},
		{"Beijing 1954 6-degree zone 21", 21421, "EPSG:4499"},
		{"Beijing 1954 lon/lat", 4214, "EPSG:4490"},
	}
	for _, tt := range refused {
		for _, form := range []string{"wkt1", "wkt2", "wkt_esri"} {
			t.Run(tt.name+"/"+form, func(t *testing.T) {
				_, err := dataset.CRSFromWKT(srsWKT(t, form, tt.epsg))
				if !errors.Is(err, dataset.ErrOtherDatum) {
					t.Fatalf("err %v; want ErrOtherDatum", err)
				}
				if !strings.Contains(err.Error(), tt.target) || !strings.Contains(err.Error(), "transformation parameters") {
					t.Errorf("err %v; want the conversion to %s named", err, tt.target)
				}
			})
		}
	}
	t.Run("web mercator", func(t *testing.T) {
		_, err := dataset.CRSFromWKT(srsWKT(t, "wkt1", 3857))
		if err == nil || !strings.Contains(err.Error(), "EPSG:4491–4554") {
			t.Errorf("err %v; want the accepted CRSs named", err)
		}
	})
}
