package planner_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// Roles nest: a planner may do what a reviewer may, a reviewer what the public may.
func ExampleRole_Allows() {
	for _, r := range []planner.Role{planner.RolePublic, planner.RoleReviewer, planner.RolePlanner} {
		fmt.Printf("%-8s read published: %v, read all: %v, run: %v\n", r,
			r.Allows(planner.RolePublic), r.Allows(planner.RoleReviewer), r.Allows(planner.RolePlanner))
	}
	// Output:
	// public   read published: true, read all: false, run: false
	// reviewer read published: true, read all: true, run: false
	// planner  read published: true, read all: true, run: true
}
