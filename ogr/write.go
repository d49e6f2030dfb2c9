package ogr

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// OutLayer is one layer to write: its name in the output and a file GDAL
// reads it from (GeoJSON for features, CSV for attribute tables).
type OutLayer struct{ Name, Path string }

// ogr2ogr runs GDAL's ogr2ogr, returning its message on failure.
func ogr2ogr(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ogr2ogr", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ogr2ogr %s: %v: %s", strings.Join(args, " "), err, firstLine(string(out)))
	}
	return nil
}

// inputArgs are ogr2ogr's options for reading one layer: CSV columns get
// their types detected; GeoJSON layers are declared EPSG:4490 (CGCS2000,
// which RFC 7946 files are in for parkplan).
func inputArgs(l OutLayer) []string {
	if strings.EqualFold(filepath.Ext(l.Path), ".csv") {
		return []string{"-oo", "AUTODETECT_TYPE=YES"}
	}
	return []string{"-a_srs", "EPSG:4490"}
}

// WriteGeoPackage writes the layers into one GeoPackage at out, replacing
// it: features as feature tables, CSVs as attribute tables.
func WriteGeoPackage(ctx context.Context, out string, layers []OutLayer) error {
	os.Remove(out)
	for i, l := range layers {
		args := []string{"-f", "GPKG", "-nln", l.Name}
		if i > 0 {
			args = append(args, "-update")
		}
		args = append(args, inputArgs(l)...)
		if err := ogr2ogr(ctx, append(args, out, l.Path)...); err != nil {
			return err
		}
	}
	return nil
}

// WriteShapefileZip writes the layers as Shapefiles (a .dbf alone for an
// attribute table) with their DBFs in encoding ("UTF-8", or "GBK" for
// older ArcGIS; the .cpg says which), and zips the set into out.
func WriteShapefileZip(ctx context.Context, out string, layers []OutLayer, encoding string) error {
	enc := normEncoding(encoding)
	if enc != encUTF8 && enc != encGBK {
		return fmt.Errorf("encoding %q: use UTF-8 or GBK", encoding)
	}
	dir, err := os.MkdirTemp("", "parkplan-shp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, l := range layers {
		args := append([]string{"-f", "ESRI Shapefile", "-lco", "ENCODING=" + enc, "-nln", l.Name}, inputArgs(l)...)
		if err := ogr2ogr(ctx, append(args, filepath.Join(dir, l.Name+".shp"), l.Path)...); err != nil {
			return err
		}
	}
	return zipDir(out, dir)
}

// zipDir writes the files of dir into the zip archive out.
func zipDir(out, dir string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return err
	}
	for _, n := range names {
		w, err := zw.Create(filepath.Base(n))
		if err != nil {
			return err
		}
		r, err := os.Open(n)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
