package ogr

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// OutLayer is one layer to write: its name in the output and a file GDAL
// reads it from (GeoJSON for features, CSV for attribute tables).
type OutLayer struct {
	Name, Path string
	// DBF, when set, lists every field of the layer with its name in a
	// Shapefile's DBF (at most 10 bytes); nil leaves GDAL's names.
	DBF []DBFField
}

// DBFField is a field's name and its name in a DBF.
type DBFField struct{ Name, DBF string }

// dbfSQL returns the OGR SQL that renames l's fields to their DBF names,
// or "" when l has no renames.
func dbfSQL(l OutLayer) string {
	if len(l.DBF) == 0 {
		return ""
	}
	q := "SELECT "
	for i, f := range l.DBF {
		if i > 0 {
			q += ", "
		}
		q += strconv.Quote(f.Name) + " AS " + strconv.Quote(f.DBF)
	}
	return q + " FROM " + strconv.Quote(l.Name)
}

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

// writeShapefileZip writes the layers as Shapefiles (a .dbf alone for an
// attribute table; fields renamed to their DBF names) with their DBFs in
// enc (encUTF8, or encGBK for older ArcGIS; the .cpg says which), and
// zips the set onto w.
func writeShapefileZip(ctx context.Context, w io.Writer, layers []OutLayer, enc string) error {
	dir, err := os.MkdirTemp("", "parkplan-shp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, l := range layers {
		args := append([]string{"-f", "ESRI Shapefile", "-lco", "ENCODING=" + enc, "-nln", l.Name}, inputArgs(l)...)
		if q := dbfSQL(l); q != "" {
			args = append(args, "-sql", q)
		}
		if err := ogr2ogr(ctx, append(args, filepath.Join(dir, l.Name+".shp"), l.Path)...); err != nil {
			return err
		}
	}
	return zipDir(w, dir)
}

// zipDir writes the files of dir, in name order, as a zip archive onto w.
func zipDir(w io.Writer, dir string) error {
	zw := zip.NewWriter(w)
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return err
	}
	for _, n := range names {
		zf, err := zw.Create(filepath.Base(n))
		if err != nil {
			return err
		}
		r, err := os.Open(n)
		if err != nil {
			return err
		}
		_, err = io.Copy(zf, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
