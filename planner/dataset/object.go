package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// splitObject splits a JSON object (already checked well-formed by the
// decoder) into its members' raw values, keyed by name. It is the hot path
// of a large import, several times faster than json.Unmarshal into a map.
func splitObject(b []byte) (map[string]json.RawMessage, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	m := make(map[string]json.RawMessage, 12)
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return m, nil
	}
	for i < len(b) {
		if b[i] != '"' {
			return nil, fmt.Errorf("want a member name at byte %d", i)
		}
		end := stringEnd(b, i)
		if end < 0 {
			return nil, fmt.Errorf("unterminated member name at byte %d", i)
		}
		key, err := unquote(b[i:end])
		if err != nil {
			return nil, err
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, fmt.Errorf("want ':' at byte %d", i)
		}
		i = skipSpace(b, i+1)
		vend := valueEnd(b, i)
		if vend < 0 {
			return nil, fmt.Errorf("bad value of %q", key)
		}
		m[key] = json.RawMessage(b[i:vend])
		i = skipSpace(b, vend)
		if i >= len(b) {
			break
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return m, nil
		default:
			return nil, fmt.Errorf("want ',' or '}' at byte %d", i)
		}
	}
	return nil, fmt.Errorf("unterminated object")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at b[i] == '"', or -1.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// valueEnd returns the index just past the JSON value starting at b[i], or -1.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := stringEnd(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}

// unquote decodes a JSON string literal (with its quotes).
func unquote(lit []byte) (string, error) {
	simple := true
	for _, c := range lit[1 : len(lit)-1] {
		if c == '\\' || c < 0x20 {
			simple = false
			break
		}
	}
	if simple {
		return string(lit[1 : len(lit)-1]), nil
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return "", err
	}
	return s, nil
}

// quoteJSON returns s as a JSON string literal.
func quoteJSON(s string) json.RawMessage { return JSONString(s) }

// JSONString returns s as a JSON string, exactly as json.Marshal writes
// it (HTML characters, U+2028/U+2029 and invalid UTF-8 escaped or
// replaced), without its reflection and escaping pass for the common
// text that needs no escape.
func JSONString(s string) json.RawMessage {
	if !plainJSON(s) {
		b, _ := json.Marshal(s)
		return b
	}
	b := make([]byte, len(s)+2)
	b[0], b[len(b)-1] = '"', '"'
	copy(b[1:], s)
	return b
}

// AppendJSONText appends the text s as JSONString(string(s)) writes it,
// without the string conversion for text that needs no escape.
func AppendJSONText(b, s []byte) []byte {
	if !plainJSON(s) {
		return append(b, JSONString(string(s))...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON reports whether json.Marshal writes s unchanged between quotes.
func plainJSON[T ~string | ~[]byte](s T) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if ascii {
		return true
	}
	switch v := any(s).(type) {
	case string:
		return utf8.ValidString(v) && !strings.ContainsRune(v, '\u2028') && !strings.ContainsRune(v, '\u2029')
	case []byte:
		return utf8.Valid(v) && !bytes.ContainsRune(v, '\u2028') && !bytes.ContainsRune(v, '\u2029')
	}
	return false // another type of the constraint: the slow path
}
