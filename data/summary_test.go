package data_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
)

// testSummary checks the summary of the fixture against its hand-made figures.
func testSummary(t *testing.T, db *data.DB) {
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := db.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Towns != 2 || s.Industries != 3 || s.EnterpriseCount() != 4 {
		t.Errorf("towns %d industries %d enterprises %d; want 2, 3, 4", s.Towns, s.Industries, s.EnterpriseCount())
	}
	if k := s.Parcel("existing"); k.Count != 1 || k.FloorM2 != 98000 || k.Firms != 70 {
		t.Errorf("existing %+v", k)
	}
	if k := s.Parcel("old_factory"); k.Count != 2 {
		t.Errorf("old_factory %+v", k)
	}
	if len(s.Quotas) != 2 || s.Quotas[0].Year != 2019 || s.Quotas[0].NewLandMu != 50 || math.Abs(s.Quotas[1].NewLandMu-75.5) > 1e-9 {
		t.Errorf("quotas %+v", s.Quotas)
	}
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"towns: 2", "under_construction", "2020", "75.5"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("printed summary lacks %q:\n%s", w, b.String())
		}
	}
}
