// Package ogr reads the county's own GIS files — GeoPackage, Shapefile
// (with its .prj and .cpg, GBK DBFs included) and File Geodatabase —
// through GDAL's command-line tools (Debian gdal-bin): ogrinfo lists a
// source's layers, columns and CRS, and ogr2ogr streams each layer as
// GeoJSON on a pipe, in the source's own CRS and columns, into
// planner/dataset's validator (dataset.ReadSources). Why the tools and
// not GDAL's C library: docs/dependencies.md. Enterprise registers
// (.xlsx, .csv) are read here too (register.go), so that every source a
// mapping file names is opened in one place.
package ogr
