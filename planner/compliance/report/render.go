package report

import (
	"bytes"

	"github.com/parkplan/parkplan/planner/compliance"
)

// Rendered is a check's report in the format a client asked for, with
// what the HTTP answer says about it: the one rendering of POST /checks,
// whether the check ran in the server or as a job on a worker.
type Rendered struct {
	ContentType string `json:"content_type"`
	// Filename is the attachment name of CSV and XLSX downloads ("" inline).
	Filename string `json:"filename,omitempty"`
	// State is clean, violations or invalid-input (header Parkplan-Check).
	State string `json:"state"`
	// SavedID is the kept report's id (header Parkplan-Check-Id), 0 when not kept.
	SavedID int64  `json:"saved_id,omitempty"`
	Body    []byte `json:"body"`
}

// Render writes r in format f; table (ledger or violations) picks the CSV
// table; chart sets the PNG's fonts.
func Render(r *compliance.Report, f Format, table string, chart ChartOptions) (*Rendered, error) {
	out := &Rendered{ContentType: f.ContentType(), State: "clean", SavedID: r.SavedID}
	switch {
	case r.InvalidInput():
		out.State = "invalid-input"
	case !r.Clean:
		out.State = "violations"
	}
	var buf bytes.Buffer
	var err error
	switch {
	case f == FormatCSV && table == "violations":
		err = WriteViolationsCSV(&buf, r)
	case f == FormatPNG:
		err = chart.WritePNG(&buf, r)
	default:
		err = Write(&buf, r, f)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case f == FormatXLSX:
		out.Filename = "check.xlsx"
	case f == FormatCSV && table == "violations":
		out.Filename = "check-violations.csv"
	case f == FormatCSV:
		out.Filename = "check-ledger.csv"
	}
	out.Body = buf.Bytes()
	return out, nil
}
