package planner_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// A standby serves a client's read only once it has replayed the
// client's last write: positions compare as numbers.
func ExampleParseLSN() {
	wrote, _ := planner.ParseLSN("16/B374D848")    // Parkplan-Lsn after the client's write
	replayed, _ := planner.ParseLSN("16/B374D000") // the standby's pg_last_wal_replay_lsn()
	fmt.Println(wrote, replayed >= wrote)
	// Output: 16/B374D848 false
}
