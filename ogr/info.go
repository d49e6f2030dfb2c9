package ogr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// Layer is what ogrinfo says of one layer of a source.
type Layer struct {
	Name     string
	Geometry string // "Polygon", "Multi Polygon", "Point", "None", …
	Count    int
	WKT      string // its CRS as WKT, "" when it has none
	Fields   []Field
}

// Field is one attribute column.
type Field struct {
	Name string
	Type string // GDAL's type: String, Integer, Real, Integer(Boolean), …
}

// Columns returns the layer's column names.
func (l Layer) Columns() []string {
	out := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		out[i] = f.Name
	}
	return out
}

// Inspect lists the layers of the source at path (a file, a .gdb
// directory, or a directory of Shapefiles) with ogrinfo. openOptions are
// GDAL open options such as "ENCODING=CP936".
func Inspect(ctx context.Context, path string, openOptions ...string) ([]Layer, error) {
	return inspectLayers(ctx, path, nil, openOptions...)
}

// inspectLayers is Inspect of the named layers only (all when names is
// empty).
func inspectLayers(ctx context.Context, path string, names []string, openOptions ...string) ([]Layer, error) {
	args := []string{"-ro", "-so", "-nomd"}
	if len(names) == 0 {
		args = append(args, "-al")
	}
	for _, o := range openOptions {
		args = append(args, "-oo", o)
	}
	args = append(args, path)
	args = append(args, names...)
	cmd := exec.CommandContext(ctx, "ogrinfo", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: GDAL cannot open it (ogrinfo: %v): %s", path, err, firstLine(stderr.String()))
	}
	return parseInfo(out)
}

// parseInfo reads `ogrinfo -so -al` output.
func parseInfo(out []byte) ([]Layer, error) {
	var layers []Layer
	var cur *Layer
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	inWKT, depth := false, 0
	for sc.Scan() {
		line := sc.Text()
		if inWKT {
			if line == "(unknown)" && cur.WKT == "" {
				inWKT = false
				continue
			}
			cur.WKT += line + "\n"
			depth += strings.Count(line, "[") - strings.Count(line, "]")
			if depth <= 0 {
				inWKT = false
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "Layer name: "):
			layers = append(layers, Layer{Name: strings.TrimPrefix(line, "Layer name: ")})
			cur = &layers[len(layers)-1]
		case cur == nil:
		case strings.HasPrefix(line, "Geometry: "):
			cur.Geometry = strings.TrimPrefix(line, "Geometry: ")
		case strings.HasPrefix(line, "Feature Count: "):
			cur.Count, _ = strconv.Atoi(strings.TrimPrefix(line, "Feature Count: "))
		case line == "Layer SRS WKT:":
			inWKT, depth = true, 0
		case strings.HasPrefix(line, "Extent: "), strings.HasPrefix(line, "Data axis to CRS axis mapping"),
			strings.HasPrefix(line, "FID Column = "), strings.HasPrefix(line, "Geometry Column"),
			strings.HasPrefix(line, "Metadata:"), strings.HasPrefix(line, "  "), strings.HasPrefix(line, "Layer "):
		default:
			if i := strings.LastIndex(line, ": "); i > 0 {
				cur.Fields = append(cur.Fields, Field{Name: line[:i], Type: strings.Fields(line[i+2:])[0]})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return layers, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
