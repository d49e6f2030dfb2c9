package mvt

import (
	"bytes"
	"hash/maphash"
)

// valueTable finds the index of a layer's value (MVT shares each value
// among the features that have it): an open-addressing hash table of
// (kind, bits or string) → index, cleared per tile but keeping its
// memory. Strings are kept by offset in an arena, so a new string costs
// no allocation once the arena has grown; every feature of a tile looks
// up each of its properties here, which a Go map did at twice the cost.
type valueTable struct {
	seed  maphash.Seed // hashes strings; a process's tables differ, the tiles do not
	slots []valueSlot  // len a power of two, at most half full
	n     int
	arena []byte // the strings' bytes
}

// valueSlot is one entry; vi is the value index + 1 (0: empty).
type valueSlot struct {
	hash uint64
	bits uint64 // a number's bits; a string's arena offset<<32 | length
	kind byte
	vi   uint32
}

// reset empties the table for the next tile. A table grown by a large
// tile is dropped when the last tile used an eighth of it, so that small
// tiles after it do not clear a large array each time.
func (t *valueTable) reset() {
	if len(t.slots) > 1024 && 8*t.n < len(t.slots) {
		t.slots = nil
	} else {
		clear(t.slots)
	}
	t.n, t.arena = 0, t.arena[:0]
}

// hash of a value: strings by maphash, numbers by a multiplicative mix.
func (t *valueTable) hash(kind byte, bits uint64, s []byte) uint64 {
	if kind == 's' {
		return maphash.Bytes(t.seed, s)
	}
	h := (bits ^ uint64(kind)<<56) * 0x9e3779b97f4a7c15
	return h ^ h>>29
}

// find returns the index of the value (kind, bits or s), or adds it
// with index next and reports that it was added.
func (t *valueTable) find(kind byte, bits uint64, s []byte, next uint32) (uint32, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	h := t.hash(kind, bits, s)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := &t.slots[i]
		if e.vi == 0 {
			if kind == 's' {
				bits = uint64(len(t.arena))<<32 | uint64(len(s))
				t.arena = append(t.arena, s...)
			}
			*e = valueSlot{hash: h, bits: bits, kind: kind, vi: next + 1}
			t.n++
			return next, true
		}
		if e.hash != h || e.kind != kind {
			continue
		}
		if kind != 's' {
			if e.bits == bits {
				return e.vi - 1, false
			}
			continue
		}
		off, n := e.bits>>32, e.bits&0xffffffff
		if bytes.Equal(t.arena[off:off+n], s) {
			return e.vi - 1, false
		}
	}
}

// grow doubles the table (at least 64 slots) and re-enters the entries.
func (t *valueTable) grow() {
	old := t.slots
	t.slots = make([]valueSlot, max(64, 2*len(old)))
	mask := uint64(len(t.slots) - 1)
	for _, e := range old {
		if e.vi == 0 {
			continue
		}
		i := e.hash & mask
		for t.slots[i].vi != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = e
	}
}
