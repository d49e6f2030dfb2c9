package mapstyle_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner/mapstyle"
)

// Specialties take the palette in sorted code order, whatever order the
// parks come in: the map page and the printed report colour alike.
func ExampleSpecialtyColours() {
	c := mapstyle.SpecialtyColours([]string{"textile", "appliance", "", "textile", "hardware"})
	fmt.Println(c["appliance"], c["hardware"], c["textile"], len(c))
	// Output: #1f77b4 #d62728 #2ca02c 3
}
