package dataset

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// WriteMonitoringDir writes m as a monitoring directory (parks.csv and
// firms.csv, in the order m holds them), creating dir if needed. The
// output is deterministic; ReadMonitoringDir reads it back.
func WriteMonitoringDir(m *planner.Monitoring, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, FileMonitoringParks), func(w io.Writer) error {
		return writeCSV(w, headerMonitoringParks, len(m.Parks), func(i int) []string {
			p := m.Parks[i]
			fs := make([]string, len(p.Facilities))
			for j, f := range p.Facilities {
				fs[j] = string(f)
			}
			return []string{strconv.Itoa(p.Year), p.ParkID, formatValue(p.FloorBuiltM2), formatValue(p.FloorVacantM2), strings.Join(fs, facilitySep)}
		})
	}); err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, FileMonitoringFirms), func(w io.Writer) error {
		return writeCSV(w, headerMonitoringFirms, len(m.Firms), func(i int) []string {
			f := m.Firms[i]
			return []string{strconv.Itoa(f.Year), f.ParkID, f.FirmID, f.Industry, string(f.Size),
				formatValue(f.FloorM2), formatValue(f.OutputWan), formatValue(f.TaxWan), string(f.MuClass)}
		})
	})
}

// writeCSV writes a header and n records.
func writeCSV(w io.Writer, header []string, n int, rec func(int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range n {
		if err := cw.Write(rec(i)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
