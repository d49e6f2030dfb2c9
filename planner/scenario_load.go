package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxScenarioBytes bounds a scenario file: real ones are a few hundred bytes.
const maxScenarioBytes = 1 << 20

// LoadScenarioFile reads a scenario from a .yaml, .yml or .json file (see
// LoadScenario); errors name the file.
func LoadScenarioFile(path string) (*Scenario, error) {
	return loadFile(path, "scenario", LoadScenario)
}

// loadFile opens path and reads it with load; what names the kind of file
// ("scenario", "province scenario") in an open error, and load's errors
// are prefixed with the file's name.
func loadFile[T any](path, what string, load func(io.Reader) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Errorf(EINVALID, "%s: %v", what, err)
	}
	defer f.Close()
	v, err := load(f)
	if err != nil {
		return nil, prefixError(filepath.Base(path), err)
	}
	return v, nil
}

// readBounded reads r whole, refusing more than maxScenarioBytes; what
// names the kind of file in errors.
func readBounded(r io.Reader, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxScenarioBytes+1))
	if err != nil {
		return nil, Errorf(EINVALID, "%s: %v", what, err)
	}
	if len(b) > maxScenarioBytes {
		return nil, Errorf(EINVALID, "%s: file larger than %d bytes", what, maxScenarioBytes)
	}
	return b, nil
}

// LoadScenario reads a scenario in YAML or JSON (JSON when the first
// non-blank byte is '{'), strictly: unknown fields are errors naming their
// path. Fields the file leaves out keep their Defaults. The result is
// Validated; errors are EINVALID *Errors with the field path
// ("weights.land_mu: must be ≥ 0, got -1"), joined when there are several.
func LoadScenario(r io.Reader) (*Scenario, error) {
	b, err := readBounded(r, "scenario")
	if err != nil {
		return nil, err
	}
	sc := Defaults()
	trim := bytes.TrimSpace(b)
	if len(trim) == 0 {
		return nil, Errorf(EINVALID, "scenario: empty file")
	}
	if trim[0] == '{' {
		err = decodeScenarioJSON(b, &sc)
	} else {
		err = decodeScenarioYAML(b, &sc)
	}
	if err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	sc.Normalize()
	return &sc, nil
}

// decodeScenarioJSON decodes a scenario file's JSON strictly into sc (a
// *Scenario or a *ProvinceScenario), over the values already in it.
func decodeScenarioJSON(b []byte, sc any) error {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return Errorf(EINVALID, "scenario: invalid JSON: %v", err)
	}
	if err := checkKnownFields("", raw, reflect.TypeOf(sc)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(sc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return FieldErrorf(te.Field, "want %s, got %s", te.Type, te.Value)
		}
		return Errorf(EINVALID, "scenario: %v", err)
	}
	return nil
}

// decodeScenarioYAML decodes a scenario file's YAML strictly into sc (a
// *Scenario or a *ProvinceScenario), over the values already in it.
func decodeScenarioYAML(b []byte, sc any) error {
	var raw any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return Errorf(EINVALID, "scenario: invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if _, ok := raw.(map[string]any); !ok {
		return Errorf(EINVALID, "scenario: want a mapping of fields at the top level")
	}
	if err := checkKnownFields("", raw, reflect.TypeOf(sc)); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(sc); err != nil {
		var doc yaml.Node
		_ = yaml.Unmarshal(b, &doc)
		paths := map[int]string{}
		yamlPaths(&doc, "", paths)
		var errs []error
		for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n"), "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "yaml: "))
			if line == "" {
				continue
			}
			var n int
			if _, scanErr := fmt.Sscanf(line, "line %d:", &n); scanErr == nil && paths[n] != "" {
				_, msg, _ := strings.Cut(line, ": ")
				errs = append(errs, FieldErrorf(paths[n], "%s", yamlTypeMessage(msg)))
				continue
			}
			errs = append(errs, Errorf(EINVALID, "scenario: %s", line))
		}
		return errors.Join(errs...)
	}
	return nil
}

// yamlPaths records, for each line holding a scalar value, its field path.
func yamlPaths(n *yaml.Node, path string, out map[int]string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			yamlPaths(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			out[k.Line] = p
			yamlPaths(v, p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			out[c.Line] = p
			yamlPaths(c, p, out)
		}
	case yaml.ScalarNode:
		if path != "" {
			out[n.Line] = path
		}
	}
}

// yamlTypeMessage turns "cannot unmarshal !!str `many` into int" into "want int, got \"many\"".
func yamlTypeMessage(msg string) string {
	var tag, val, typ string
	if i := strings.Index(msg, "cannot unmarshal !!"); i >= 0 {
		rest := msg[i+len("cannot unmarshal !!"):]
		tag, rest, _ = strings.Cut(rest, " ")
		if v, r, ok := strings.Cut(rest, " into "); ok {
			val, typ = strings.Trim(v, "`"), r
			if typ == "float64" {
				typ = "a number"
			}
			if val == "" {
				val = tag
			}
			return fmt.Sprintf("want %s, got %q", typ, val)
		}
	}
	return msg
}

var durationType = reflect.TypeOf(Duration{})

// checkKnownFields walks a decoded document against t's json/yaml field
// names and reports the first unknown field by its path.
func checkKnownFields(path string, v any, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == durationType {
			return nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			if v == nil {
				return nil
			}
			return FieldErrorf(orTop(path), "want a mapping of fields, got %v", v)
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				return FieldErrorf(join(path, k), "unknown field")
			}
			if m[k] == nil {
				// JSON null or an empty YAML value would silently keep the
				// default (name: null became "baseline").
				return FieldErrorf(join(path, k), "must not be null: give a value, or leave the field out for its default")
			}
			if ft == durationType {
				if err := checkDuration(join(path, k), m[k]); err != nil {
					return err
				}
				continue
			}
			if err := checkKnownFields(join(path, k), m[k], ft); err != nil {
				return err
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				if m[k] == nil {
					return FieldErrorf(join(path, k), "must not be null")
				}
			}
		}
	case reflect.Slice:
		if s, ok := v.([]any); ok {
			for i, e := range s {
				if err := checkKnownFields(fmt.Sprintf("%s[%d]", path, i), e, t.Elem()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkDuration checks a duration field's raw value (a duration string or
// a number of seconds) so that its error names the field; Duration's own
// decoders cannot know it.
func checkDuration(path string, v any) error {
	var err error
	switch d := v.(type) {
	case string:
		_, err = parseDuration(d)
	case float64:
		_, err = secondsDuration(d)
	case int:
		_, err = secondsDuration(float64(d))
	case uint64:
		_, err = secondsDuration(float64(d))
	default:
		err = fmt.Errorf("want a duration such as \"10s\" or a number of seconds, got %v", v)
	}
	if err != nil {
		return FieldErrorf(path, "%v", err)
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func orTop(path string) string {
	if path == "" {
		return "scenario"
	}
	return path
}

// prefixError puts a file name in front of each *Error's field path.
func prefixError(file string, err error) error { return prefixErrors(err, file+": ") }

// prefixErrors puts prefix in front of each *Error's field path (or its
// message when it names no field), for every error err joins.
func prefixErrors(err error, prefix string) error {
	var parts []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts = j.Unwrap()
	} else {
		parts = []error{err}
	}
	out := make([]error, len(parts))
	for i, p := range parts {
		var e *Error
		if errors.As(p, &e) {
			c := *e
			if c.Field != "" {
				c.Field = prefix + c.Field
			} else {
				c.Message = prefix + c.Message
			}
			out[i] = &c
		} else {
			out[i] = fmt.Errorf("%s%w", prefix, p)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// WriteScenarioYAML writes sc as YAML with the file's field names, the
// form scenarios/*.yaml use; LoadScenario reads it back unchanged.
func WriteScenarioYAML(w io.Writer, sc *Scenario) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(sc); err != nil {
		return err
	}
	return enc.Close()
}
