package ogr

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/parkplan/parkplan/planner/dataset"
)

// openRegister prepares an enterprise register (.xlsx or .csv).
func openRegister(path string, lm dataset.LayerMapping) (dataset.LayerSource, error) {
	return dataset.LayerSource{}, fmt.Errorf("%s: registers are read in a later step", path)
}

func registerColumns(path string) ([]string, error) {
	return nil, fmt.Errorf("%s: registers are read in a later step", path)
}

func registerLayerName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}
