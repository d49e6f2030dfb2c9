package ogr

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mapstyle"
)

// QGIS styling: the map page's, from planner/mapstyle (the specialty
// palette in sorted order of the plan's specialty codes, tier sizes,
// protected-land and town colours), Chinese labels.
const (
	qgisLabelFont = "Noto Sans CJK SC" // fonts-noto-cjk; QGIS falls back to a CJK font it has
	// qgisMMPerPx turns the map page's pixel sizes into millimetres
	// (96 dpi: 0.26 mm a pixel, rounded to a quarter).
	qgisMMPerPx = 0.25
	// qgisParkFillOpacity is a park's fill opacity (its outline is opaque).
	qgisParkFillOpacity = 0.8
)

// qgisColour turns "#rrggbb" and an opacity (0–1) into QGIS's "r,g,b,a";
// "" is transparent.
func qgisColour(hex string, opacity float64) string {
	var r, g, b int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return "0,0,0,0"
	}
	return fmt.Sprintf("%d,%d,%d,%d", r, g, b, int(math.Round(255*opacity)))
}

// qgisTierMM returns the park markers' diameters (mm) for the basic,
// standard and complex tiers: twice the map page's radius.
func qgisTierMM() [3]float64 {
	var out [3]float64
	for i, t := range []planner.Tier{planner.TierBasic, planner.TierStandard, planner.TierComplex} {
		out[i] = 2 * mapstyle.TierRadiusPx[t] * qgisMMPerPx
	}
	return out
}

// qgisCategory is one class of a categorized renderer.
type qgisCategory struct {
	Value, Label, Fill, Stroke string
}

// qgisLayer is one map layer of the project, drawn in order (first at the bottom).
type qgisLayer struct {
	ID, Name, Title, Geometry, Source string
	Attr                              string // categorized on this field; "" for a single symbol
	Categories                        []qgisCategory
	Fill, Stroke                      string // single symbol colours (r,g,b,a)
	Label                             string // labelled with this field; "" for none
	TierMarkers                       bool   // a marker at the centroid sized by tier
}

// qgisSymbol is one symbol of a layer's renderer.
type qgisSymbol struct {
	Layer        qgisLayer
	N            int
	Fill, Stroke string
	Tier         [3]float64 // marker sizes of the basic, standard and complex tiers, mm
}

// qgisProjectLayers returns the project's layers over the GeoPackage gpkg
// (a path relative to the project), with the plan's specialties.
func qgisProjectLayers(gpkg string, specialties []string) []qgisLayer {
	src := func(l string) string { return "./" + gpkg + "|layername=" + l }
	var cats []qgisCategory
	colours := mapstyle.SpecialtyColours(specialties)
	for _, s := range specialties {
		c := colours[s]
		cats = append(cats, qgisCategory{Value: s, Label: s, Fill: qgisColour(c, qgisParkFillOpacity), Stroke: qgisColour(c, 1)})
	}
	prot := func(k planner.ProtectedKind, label string) qgisCategory {
		f := mapstyle.Protected[k]
		stroke := ""
		if f.Stroke != "" {
			stroke = qgisColour(f.Stroke, 1)
		}
		return qgisCategory{Value: string(k), Label: label, Fill: qgisColour(f.Colour, f.Opacity), Stroke: stroke}
	}
	return []qgisLayer{
		{ID: "parkplan_towns", Name: "towns", Title: "镇街 towns", Geometry: "Polygon", Source: src("towns"),
			Fill: qgisColour(mapstyle.Town.Colour, mapstyle.Town.Opacity), Stroke: qgisColour(mapstyle.Town.Stroke, 1), Label: "name_zh"},
		{ID: "parkplan_protected", Name: "protected", Title: "三区三线 protected land", Geometry: "Polygon", Source: src("protected"), Attr: "kind",
			Categories: []qgisCategory{prot(planner.ProtectedFarmland, "永久基本农田 basic farmland"),
				prot(planner.ProtectedRedline, "生态保护红线 ecological red line"),
				prot(planner.ProtectedDevBoundary, "城镇开发边界 development boundary")}},
		{ID: "parkplan_candidates", Name: "candidates", Title: "候选地块 candidates", Geometry: "Polygon", Source: src("candidates"), Attr: "kind",
			Categories: []qgisCategory{{"new_land", "新增用地 new land", "230,85,13,51", "230,85,13,255"},
				{"old_factory", "旧厂区 old factory", "49,130,189,51", "49,130,189,255"}}},
		{ID: "parkplan_assignments", Name: "assignments", Title: "入园企业 assignments", Geometry: "Line", Source: src("assignments"),
			Stroke: "120,120,120,160"},
		{ID: "parkplan_unplaced", Name: "unplaced", Title: "未入园企业 unplaced", Geometry: "Point", Source: src("unplaced"),
			Fill: "150,150,150,200", Stroke: "90,90,90,255"},
		{ID: "parkplan_parks", Name: "parks", Title: "小微企业园 parks", Geometry: "Polygon", Source: src("parks"), Attr: "specialty",
			Categories: cats, Label: "name", TierMarkers: true},
	}
}

// writeQGISZip writes the GeoPackage of layers and a QGIS project over
// it (relative path, so the two move together) into dir, and zips both
// onto w: {scenario}.gpkg and {scenario}.qgz.
func writeQGISZip(ctx context.Context, w io.Writer, dir, scenario string, layers []OutLayer, specialties []string) error {
	out := filepath.Join(dir, "qgis")
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	gpkg := scenario + ".gpkg"
	if err := WriteGeoPackage(ctx, filepath.Join(out, gpkg), layers); err != nil {
		return err
	}
	var qgs bytes.Buffer
	if err := writeQGS(&qgs, scenario, qgisProjectLayers(gpkg, specialties)); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(out, scenario+".qgz"))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	zf, err := zw.Create(scenario + ".qgs")
	if err == nil {
		_, err = zf.Write(qgs.Bytes())
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return zipDir(w, out)
}

// specialtiesOf returns the distinct specialty codes of a parks GeoJSON
// file's features, sorted (the map page's colour order).
func specialtiesOf(b []byte) []string {
	seen := map[string]bool{}
	const key = `"specialty":"`
	for s := string(b); ; {
		i := strings.Index(s, key)
		if i < 0 {
			break
		}
		s = s[i+len(key):]
		if j := strings.IndexByte(s, '"'); j >= 0 {
			seen[s[:j]] = true
			s = s[j:]
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// writeQGS writes the project file.
func writeQGS(w io.Writer, title string, layers []qgisLayer) error {
	t, err := template.New("qgs").Funcs(template.FuncMap{"x": xmlText, "sym": func(l qgisLayer, n int, fill, stroke string) qgisSymbol {
		return qgisSymbol{Layer: l, N: n, Fill: fill, Stroke: stroke, Tier: qgisTierMM()}
	}}).Parse(qgsTemplate)
	if err != nil {
		panic(fmt.Sprintf("ogr: the QGIS project template: %v", err)) // a constant
	}
	tree := make([]qgisLayer, len(layers)) // the layer tree lists the top layer first
	for i, l := range layers {
		tree[len(layers)-1-i] = l
	}
	return t.Execute(w, struct {
		Title        string
		Font         string
		Layers, Tree []qgisLayer
	}{title, qgisLabelFont, layers, tree})
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&quot;")
}
