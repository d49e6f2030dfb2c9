package data

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parkplan/parkplan/planner"
)

// Summary is an overview of the stored county dataset.
type Summary struct {
	Towns       int
	Industries  int
	Parcels     []KindSummary // by kind, in the order existing, under_construction, new_land, old_factory
	Protected   []KindSummary // by protected kind (Count, AreaMu)
	Enterprises []SizeSummary // by size class, micro → large
	Quotas      []YearQuota   // per year, all towns
}

// KindSummary counts the parcels (or protected areas) of one kind: their
// number, land in mu, floor space in m² and firms (parcels only).
type KindSummary struct {
	Kind    string
	Count   int
	AreaMu  float64
	FloorM2 float64
	Firms   int
}

// SizeSummary counts the enterprises of one size class and the floor
// space they need, m².
type SizeSummary struct {
	Size    string
	Count   int
	FloorM2 float64
}

// YearQuota is one year's new-land quota summed over the towns, mu.
type YearQuota struct {
	Year      int
	Towns     int
	NewLandMu float64
}

const (
	sqlSummaryCounts  = `SELECT (SELECT count(*) FROM town), (SELECT count(*) FROM industry)`
	sqlSummaryParcels = `SELECT kind, count(*), COALESCE(sum(area_mu), 0), COALESCE(sum(floor_m2), 0), COALESCE(sum(firms), 0)
FROM parcel GROUP BY kind
ORDER BY array_position(ARRAY['existing', 'under_construction', 'new_land', 'old_factory'], kind)`
	// protected areas are measured on the spheroid, overlaps between polygons of a kind counted once
	sqlSummaryProtected = `SELECT kind, count(*), ST_Area(ST_Union(geom)::geography) / $1
FROM protected_area GROUP BY kind
ORDER BY array_position(ARRAY['basic_farmland', 'eco_redline', 'dev_boundary'], kind)`
	sqlSummaryFirms = `SELECT size, count(*), sum(floor_m2) FROM enterprise GROUP BY size
ORDER BY array_position(ARRAY['micro', 'small', 'medium', 'large'], size)`
	sqlSummaryQuotas = `SELECT year, count(*), sum(new_land_mu) FROM quota GROUP BY year ORDER BY year`
)

// Summary reads the overview of the stored dataset in one snapshot.
func (db *DB) Summary(ctx context.Context) (*Summary, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	s := &Summary{}
	if err := tx.QueryRowContext(ctx, sqlSummaryCounts).Scan(&s.Towns, &s.Industries); err != nil {
		return nil, fmt.Errorf("data: summary: %w", err)
	}
	err = each(ctx, tx, sqlSummaryParcels, func(r *sql.Rows) error {
		var k KindSummary
		if err := r.Scan(&k.Kind, &k.Count, &k.AreaMu, &k.FloorM2, &k.Firms); err != nil {
			return err
		}
		s.Parcels = append(s.Parcels, k)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: summary of parcels: %w", err)
	}
	err = each(ctx, tx, sqlSummaryProtected, func(r *sql.Rows) error {
		var k KindSummary
		if err := r.Scan(&k.Kind, &k.Count, &k.AreaMu); err != nil {
			return err
		}
		s.Protected = append(s.Protected, k)
		return nil
	}, planner.MuM2)
	if err != nil {
		return nil, fmt.Errorf("data: summary of protected land: %w", err)
	}
	err = each(ctx, tx, sqlSummaryFirms, func(r *sql.Rows) error {
		var x SizeSummary
		if err := r.Scan(&x.Size, &x.Count, &x.FloorM2); err != nil {
			return err
		}
		s.Enterprises = append(s.Enterprises, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: summary of enterprises: %w", err)
	}
	err = each(ctx, tx, sqlSummaryQuotas, func(r *sql.Rows) error {
		var q YearQuota
		if err := r.Scan(&q.Year, &q.Towns, &q.NewLandMu); err != nil {
			return err
		}
		s.Quotas = append(s.Quotas, q)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: summary of quotas: %w", err)
	}
	return s, nil
}

// Parcel returns the summary of parcels of kind (zero if none).
func (s *Summary) Parcel(kind string) KindSummary {
	for _, k := range s.Parcels {
		if k.Kind == kind {
			return k
		}
	}
	return KindSummary{Kind: kind}
}

// EnterpriseCount is the number of enterprises of every size.
func (s *Summary) EnterpriseCount() int {
	n := 0
	for _, e := range s.Enterprises {
		n += e.Count
	}
	return n
}

// WriteTo prints the summary as plain-text tables.
func (s *Summary) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	tw := tabwriter.NewWriter(cw, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(cw, "towns: %d   industries: %d\n\n", s.Towns, s.Industries)
	fmt.Fprintln(tw, "parcels by kind\tcount\tmu\tfloor m²\tfirms\t")
	var n int
	var mu float64
	for _, k := range s.Parcels {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.0f\t%d\t\n", k.Kind, k.Count, k.AreaMu, k.FloorM2, k.Firms)
		n += k.Count
		mu += k.AreaMu
	}
	fmt.Fprintf(tw, "all\t%d\t%.1f\t\t\t\n", n, mu)
	tw.Flush()
	fmt.Fprintln(cw)
	fmt.Fprintln(tw, "protected land\tpolygons\tmu\t")
	for _, k := range s.Protected {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t\n", k.Kind, k.Count, k.AreaMu)
	}
	tw.Flush()
	fmt.Fprintln(cw)
	fmt.Fprintln(tw, "enterprises by size\tcount\tfloor m² needed\t")
	for _, e := range s.Enterprises {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t\n", e.Size, e.Count, e.FloorM2)
	}
	fmt.Fprintf(tw, "all\t%d\t\t\n", s.EnterpriseCount())
	tw.Flush()
	fmt.Fprintln(cw)
	fmt.Fprintln(tw, "new-land quota by year\ttowns\tmu\t")
	for _, q := range s.Quotas {
		fmt.Fprintf(tw, "%d\t%d\t%.1f\t\n", q.Year, q.Towns, q.NewLandMu)
	}
	tw.Flush()
	return cw.n, cw.err
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
