package data_test

import (
	"testing"

	"github.com/parkplan/parkplan/data"
)

// TestDatasetStore runs the county-data tests on one migrated throwaway
// database (creating one per test costs seconds each). Each subtest
// imports what it needs; an import replaces the whole dataset.
func TestDatasetStore(t *testing.T) {
	db := migrated(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *data.DB)
	}{
		{"ImportExportRoundTrip", testImportExportRoundTrip},
		{"ImportBadInputs", testImportBadInputs},
		{"LoadDatasetOverlaps", testLoadDatasetOverlaps},
		{"AreaAgreesWithPostGIS", testAreaAgreesWithPostGIS},
		{"Summary", testSummary},
		{"ImportGenerated", testImportGenerated},
		{"ImportGaussKrugerFromGDAL", testImportGaussKrugerFromGDAL},
		{"DemoImport", testDemoImport},
		{"SchemaConstraints", testSchemaConstraints},
		{"ImportGDALCopyExportsCanonical", testImportGDALCopyExportsCanonical},
		{"DatabaseRejectsWhatTheReaderMisses", testDatabaseRejectsWhatTheReaderMisses},
		{"CountiesImportExport", testCountiesImportExport},
		{"ImportKeepsSchema", testImportKeepsSchema},
		{"ImportLateBadFeature", testImportLateBadFeature},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, db) })
	}
}
