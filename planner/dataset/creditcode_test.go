package dataset_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset"
)

func TestCreditCodeCheck(t *testing.T) {
	tests := []struct {
		name string
		code string
		want byte
		err  bool
	}{
		// published codes of well-known firms (their business licences)
		{"Alibaba (China) Co.", "91330100716105852F", 'F', false},
		{"Tencent Technology (Shenzhen)", "9144030071526726XG", 'G', false},
		{"Huawei Technologies", "914403001922038216", '6', false},
		{"all zeros", "00000000000000000?", '0', false},
		{"letter I is not in the alphabet", "9133010071610585IF", 0, true},
		{"too short", "913301", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dataset.CreditCodeCheck(tt.code)
			if (err != nil) != tt.err {
				t.Fatalf("err %v, want error %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("check %q, want %q", got, tt.want)
			}
		})
	}
}

// ExampleCreditCodeCheck computes the check character of a credit code.
func ExampleCreditCodeCheck() {
	c, err := dataset.CreditCodeCheck("91330100716105852")
	fmt.Printf("%c %v\n", c, err)
	// Output: F <nil>
}
