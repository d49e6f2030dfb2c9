package dataset

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// SourceLayer describes one layer of a county's file for SuggestMapping.
type SourceLayer struct {
	Source   string // file (or directory) holding it
	Name     string
	Geometry string // GDAL's geometry type name: "Polygon", "Point", "None", …
	Columns  []string
}

// layerWords are words of a source layer's name that say which dataset
// layer it is; protected land also says which kind.
var layerWords = map[string][]string{
	LayerTowns:       {"town", "镇街", "乡镇", "行政区", "街道"},
	LayerParcels:     {"parcel", "地块", "宗地", "图斑", "用地"},
	LayerEnterprises: {"enterprise", "firm", "企业", "名录", "register"},
}

var protectedWords = []struct{ word, kind string }{
	{"基本农田", "basic_farmland"}, {"farmland", "basic_farmland"},
	{"生态", "eco_redline"}, {"红线", "eco_redline"}, {"redline", "eco_redline"},
	{"开发边界", "dev_boundary"}, {"boundary", "dev_boundary"},
	{"protected", ""}, {"管控", ""},
}

// SuggestMapping writes a starting mapping file (YAML, with comments) for
// the layers found in a county's files: each dataset layer is matched to
// the source layer whose name says it or whose columns fit it best, and
// each field to a column by its usual names. relTo makes the paths
// relative to the directory the mapping will be saved in.
func SuggestMapping(layers []SourceLayer, relTo string) []byte {
	var b strings.Builder
	b.WriteString("# parkplan import mapping (docs/import.md) — written by parkplan import --suggest-mapping;\n")
	b.WriteString("# check every line, then: parkplan import --mapping THIS_FILE\n")
	b.WriteString("industries: industries.csv  # parkplan's CSV: code,name_zh,name_en,related\n")
	b.WriteString("quotas: quotas.csv          # parkplan's CSV: town,year,new_land_mu\n")
	b.WriteString("layers:\n")
	used := map[int]bool{}
	for _, l := range mappedLayers {
		fmt.Fprintf(&b, "  %s:\n", l.name)
		var picks []int
		if l.name == LayerProtected {
			for i, sl := range layers {
				if _, ok := protectedKind(sl.Name); ok && !used[i] && polygonal(sl.Geometry) {
					picks = append(picks, i)
				}
			}
		} else if i := bestLayer(l.name, layers, used); i >= 0 {
			picks = append(picks, i)
		}
		if len(picks) == 0 {
			fmt.Fprintf(&b, "    []  # no source layer found: add - {source: FILE, layer: NAME}\n")
			continue
		}
		for _, i := range picks {
			used[i] = true
			writeLayer(&b, l.name, layers[i], relTo)
		}
	}
	return []byte(b.String())
}

func writeLayer(b *strings.Builder, layer string, sl SourceLayer, relTo string) {
	src := sl.Source
	if r, err := filepath.Rel(relTo, src); err == nil {
		src = r
	}
	fmt.Fprintf(b, "    - source: %s\n", yamlString(src))
	fmt.Fprintf(b, "      layer: %s  # %s, columns: %s\n", yamlString(sl.Name), sl.Geometry, strings.Join(sl.Columns, ", "))
	b.WriteString("      columns:\n")
	for _, f := range fieldsOf(layer) {
		if col := guessColumn(f, sl.Columns); col != "" {
			fmt.Fprintf(b, "        %s: %s\n", f.name, yamlString(col))
		} else {
			fmt.Fprintf(b, "        # %s: ?  (no column found)\n", f.name)
		}
	}
	if layer == LayerProtected {
		if kind, _ := protectedKind(sl.Name); kind != "" && guessColumn(*fieldOf(layer, "kind"), sl.Columns) == "" {
			fmt.Fprintf(b, "      defaults:\n        kind: %s\n", kind)
		}
	}
	if layer == LayerEnterprises && !strings.EqualFold(sl.Geometry, "Point") {
		b.WriteString("      # coordinates: wgs84  # frame of lon/lat columns if any: wgs84, gcj02 or bd09; without them the town seat is used\n")
	}
}

func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*?|<>=!%@`'\"") || strings.TrimSpace(s) != s {
		return fmt.Sprintf("%q", s)
	}
	return s
}

func polygonal(g string) bool { return strings.Contains(strings.ToLower(g), "polygon") }

// protectedKind says whether a layer name is protected land, and which kind.
func protectedKind(name string) (string, bool) {
	n := strings.ToLower(name)
	for _, w := range protectedWords {
		if strings.Contains(n, w.word) {
			return w.kind, true
		}
	}
	return "", false
}

// bestLayer picks the source layer for a dataset layer: a name that says
// it scores most, then the number of fields whose column is found.
func bestLayer(layer string, layers []SourceLayer, used map[int]bool) int {
	best, bestScore := -1, 0
	order := make([]int, len(layers))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return layers[order[a]].Name < layers[order[b]].Name })
	for _, i := range order {
		sl := layers[i]
		if used[i] {
			continue
		}
		if layer == LayerEnterprises && polygonal(sl.Geometry) || layer != LayerEnterprises && !polygonal(sl.Geometry) {
			continue
		}
		if _, ok := protectedKind(sl.Name); ok {
			continue
		}
		score := 0
		said := strings.ToLower(sl.Name + " " + filepath.Base(sl.Source))
		for _, w := range layerWords[layer] {
			if strings.Contains(said, w) {
				score += 100
			}
		}
		for _, f := range fieldsOf(layer) {
			if guessColumn(f, sl.Columns) != "" {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}
