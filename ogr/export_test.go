package ogr

import (
	"context"

	"github.com/parkplan/parkplan/planner/dataset"
)

// SourcesText is Sources reading every layer as GeoJSON text (tests and
// the benchmark compare it with the binary stream).
func SourcesText(ctx context.Context, m *dataset.Mapping) (dataset.Sources, error) {
	return sources(ctx, m, false)
}
