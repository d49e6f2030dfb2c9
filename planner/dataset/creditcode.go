package dataset

import (
	"fmt"
	"strings"
)

// The unified social credit code (统一社会信用代码, GB 32100-2015): 18
// characters from a 31-character alphabet (digits and capitals without
// I, O, Z, S, V); the 18th is a check character over the first 17 with
// weights 3^i mod 31.
const (
	creditCodeLen      = 18
	creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	creditCodeModulus  = 31
)

var creditCodeWeights = [creditCodeLen - 1]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// looksLikeCreditCode reports whether an enterprise id has the shape of a
// credit code (18 digits and capital letters), and so is checked as one.
func looksLikeCreditCode(id string) bool {
	if len(id) != creditCodeLen {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// CreditCodeCheck returns the GB 32100-2015 check character of the first
// 17 characters of code, or an error naming a character outside the
// alphabet.
func CreditCodeCheck(code string) (byte, error) {
	if len(code) < creditCodeLen-1 {
		return 0, fmt.Errorf("has %d characters; a credit code has %d", len(code), creditCodeLen)
	}
	sum := 0
	for i := 0; i < creditCodeLen-1; i++ {
		v := strings.IndexByte(creditCodeAlphabet, code[i])
		if v < 0 {
			return 0, fmt.Errorf("character %d %q is not in the credit-code alphabet (digits and capitals without I, O, Z, S, V)", i+1, code[i])
		}
		sum += v * creditCodeWeights[i]
	}
	return creditCodeAlphabet[(creditCodeModulus-sum%creditCodeModulus)%creditCodeModulus], nil
}

// creditCodeFault checks an id shaped like a credit code: "" when it is
// not one or its check character is right, else what is wrong.
func creditCodeFault(id string) string {
	if !looksLikeCreditCode(id) {
		return ""
	}
	want, err := CreditCodeCheck(id)
	if err != nil {
		return fmt.Sprintf("credit code %q: %v", id, err)
	}
	if id[creditCodeLen-1] != want {
		return fmt.Sprintf("credit code %q fails its GB 32100-2015 check: the 18th character is %q, the first 17 give %q (a typo in the code?)", id, id[creditCodeLen-1], want)
	}
	return ""
}
