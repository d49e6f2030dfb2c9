package planner

import (
	"context"
	"sort"
)

// ParkYear is what the bureau's yearly monitoring (动态监管) records about
// one open park in one year.
type ParkYear struct {
	Year          int
	ParkID        string     // Parcel.ID of the park
	FloorBuiltM2  float64    // floor space built by the end of the year, m²
	FloorVacantM2 float64    // of it, floor for firms standing empty, m²
	Facilities    []Facility // facilities in place, sorted
}

// FirmYear is one firm actually in a park in one year, with its figures
// for that year.
type FirmYear struct {
	Year      int
	FirmID    string // unified social credit code, or the enterprise id
	ParkID    string // Parcel.ID of the park
	Industry  string // Industry.Code
	Size      SizeClass
	FloorM2   float64 // floor space it occupies, m²
	OutputWan float64 // yearly output, 10,000 yuan
	TaxWan    float64 // yearly tax paid, 10,000 yuan
	MuClass   MuClass // that year's 亩均效益 class, "" if none
}

// Monitoring is the monitoring record of one or more years: parks by
// (year, park), firms by (year, firm).
type Monitoring struct {
	Parks []ParkYear
	Firms []FirmYear
}

// Years lists the years the record holds, ascending.
func (m *Monitoring) Years() []int {
	seen := map[int]bool{}
	var ys []int
	for _, p := range m.Parks {
		if !seen[p.Year] {
			seen[p.Year] = true
			ys = append(ys, p.Year)
		}
	}
	sort.Ints(ys)
	return ys
}

// MonitoringStore keeps the yearly monitoring record (history: a year
// imported again replaces that year only).
type MonitoringStore interface {
	// LoadMonitoring returns the record of the given years, or of every
	// year when none is given, sorted as Monitoring says.
	LoadMonitoring(ctx context.Context, years ...int) (*Monitoring, error)
}
