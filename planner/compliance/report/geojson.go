package report

import (
	"io"

	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/layers"
)

// WriteGeoJSON writes the report's violations as the check layer of
// planner/layers (layers.CheckViolations: the features and properties the
// OGC API's violations collections carry for a saved check), an RFC 7946
// FeatureCollection in lon/lat (EPSG:4490): spatial violations carry their
// overlap geometry; quota and invalid-geometry violations a null geometry.
func WriteGeoJSON(w io.Writer, r *compliance.Report) error {
	return layers.WriteGeoJSON(w, layers.CheckViolations(r))
}
