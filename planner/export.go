package planner

import (
	"context"
	"io"
)

// Plan export formats (parkplan export --format, GET /scenarios/{id}/export?f=).
const (
	ExportGPKG = "gpkg" // one GeoPackage: the plan layers, candidates, and the scenario, KPI and quota-ledger tables
	ExportSHP  = "shp"  // the same as Shapefiles (a .dbf alone for a table), zipped
	ExportQGZ  = "qgz"  // a zip of the GeoPackage and a QGIS project (.qgz) styled like the map page
)

// ExportRequest asks for one saved plan in one format.
type ExportRequest struct {
	Scenario string // scenario id
	Format   string // ExportGPKG, ExportSHP or ExportQGZ
	// Encoding of the Shapefiles' DBFs: "UTF-8" (default) or "GBK" for
	// older ArcGIS; the .cpg says which.
	Encoding string
	// Unpublished lets the export read an unpublished scenario's layers
	// (reviewer and planner roles).
	Unpublished bool
}

// PlanExporter writes a saved plan where GIS users work, from the
// scenario's OGC collections (the same features and properties the API
// serves). A scenario without a plan, or one the caller may not read, is
// ENOTFOUND; a bad format or encoding EINVALID naming the field.
type PlanExporter interface {
	ExportPlan(ctx context.Context, req ExportRequest, w io.Writer) error
}
