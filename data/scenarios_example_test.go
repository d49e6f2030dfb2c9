package data_test

import (
	"fmt"

	"github.com/parkplan/parkplan/data"
)

// A scenario's id is the slug of its name; it names the scenario in every
// route (/scenarios/{id}) and collection ({id}.parks).
func ExampleScenarioID() {
	fmt.Println(data.ScenarioID("Baseline"))
	fmt.Println(data.ScenarioID("Tight quota (−20 %), 2020"))
	fmt.Println(data.ScenarioID("基准方案"))
	// Output:
	// baseline
	// tight-quota-20-2020
	// s-27c46fa9f852
}
