package ogr

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
)

// QGIS styling, the map page's (web/src/styles.js): the specialty
// palette (in sorted order of the plan's specialty codes), parcel-kind
// and protected-land colours, tier marker sizes, Chinese labels.
const (
	qgisLabelFont                                    = "Noto Sans CJK SC" // fonts-noto-cjk; QGIS falls back to a CJK font it has
	qgisTierBasic, qgisTierStandard, qgisTierComplex = 2.0, 3.0, 4.5      // marker diameter, mm
)

func specialtyPalette() []string {
	return []string{"31,119,180", "214,39,40", "44,160,44", "148,103,189", "255,127,14", "23,190,207",
		"140,86,75", "227,119,194", "188,189,34", "57,59,121", "99,121,57", "132,60,57"}
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
	pal := specialtyPalette()
	for i, s := range specialties {
		c := pal[i%len(pal)]
		cats = append(cats, qgisCategory{Value: s, Label: s, Fill: c + ",200", Stroke: c + ",255"})
	}
	return []qgisLayer{
		{ID: "parkplan_towns", Name: "towns", Title: "镇街 towns", Geometry: "Polygon", Source: src("towns"),
			Fill: "250,248,240,150", Stroke: "138,138,138,255", Label: "name_zh"},
		{ID: "parkplan_protected", Name: "protected", Title: "三区三线 protected land", Geometry: "Polygon", Source: src("protected"), Attr: "kind",
			Categories: []qgisCategory{{"basic_farmland", "永久基本农田 basic farmland", "116,196,118,90", "116,196,118,255"},
				{"eco_redline", "生态保护红线 ecological red line", "222,45,38,64", "222,45,38,255"},
				{"dev_boundary", "城镇开发边界 development boundary", "158,154,200,26", "158,154,200,255"}}},
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
		return qgisSymbol{Layer: l, N: n, Fill: fill, Stroke: stroke, Tier: [3]float64{qgisTierBasic, qgisTierStandard, qgisTierComplex}}
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
