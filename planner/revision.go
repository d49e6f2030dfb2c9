package planner

import (
	"errors"
	"fmt"
	"time"
)

// ErrDataChanged: the dataset was imported again while a plan was being
// built from it. The plan is not saved (it would mix two revisions); the
// scenario keeps its previous plan and should be run again.
var ErrDataChanged = errors.New("the data changed during the run")

// DatasetRevision is one import of the county dataset. Every import makes
// the next revision; a plan records the revision it was built on.
type DatasetRevision struct {
	Revision    int       `json:"revision"`     // 1, 2, …; 0 when nothing was imported
	ContentHash string    `json:"content_hash"` // hex sha256 of the records read (dataset.ContentHash); "" when not known
	ImportedAt  time.Time `json:"imported_at"`  // UTC
	ImportedBy  string    `json:"imported_by"`  // who ran the import
	Source      string    `json:"source"`       // what was imported (the directory)
}

// StaleNotice says, for people, whether a plan built on dataset revision
// built still matches the data at revision current: "" when it does, else
// e.g. "stale: built on r12, the data is r13; re-run". Revision 0 is a
// plan or a store without any recorded import.
func StaleNotice(built, current int) string {
	switch {
	case built == current:
		return ""
	case built == 0:
		return fmt.Sprintf("stale: built on data imported before revisions were kept, the data is r%d; re-run", current)
	}
	return fmt.Sprintf("stale: built on r%d, the data is r%d; re-run", built, current)
}

// Stale returns the record's StaleNotice: "" when it has no plan or its
// plan was built on the current data.
func (r *ScenarioRecord) Stale() string {
	if r.Plan == nil {
		return ""
	}
	return StaleNotice(r.Plan.DatasetRevision, r.DataRevision)
}

// DataChangedError is the error a save returns when the data moved on
// while the plan was built: code ECONFLICT, and errors.Is(err,
// ErrDataChanged) holds.
func DataChangedError(scenario string, built, current int) error {
	return dataChangedError{&Error{Code: ECONFLICT, Field: "scenario " + scenario,
		Message: fmt.Sprintf("%s: the plan was built on r%d, the data is now r%d; the previous plan is kept; re-run",
			ErrDataChanged, built, current)}}
}

type dataChangedError struct{ e *Error }

func (d dataChangedError) Error() string   { return d.e.Error() }
func (d dataChangedError) Unwrap() []error { return []error{d.e, ErrDataChanged} }
