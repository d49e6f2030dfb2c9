package jobs

import (
	"math"
	"testing"
)

func TestLockKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		job  int64
		want int32
	}{
		{"first job", 1, 2},
		{"largest key", math.MaxInt32 - 1, math.MaxInt32},
		{"wraps past the int4 range, never to 0", math.MaxInt32, 1},
		{"2³¹ is not the queue bound's 0", 1 << 31, 2},
		{"largest job id", math.MaxInt64, int32(math.MaxInt64%(1<<31-1)) + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lockKey(tc.job)
			if got != tc.want || got <= queueLockKey {
				t.Errorf("lockKey(%d) = %d, want %d (> %d)", tc.job, got, tc.want, queueLockKey)
			}
		})
	}
}
