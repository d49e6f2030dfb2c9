package planner

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses by api and to exit codes by cmd.
const (
	EINVALID  = "invalid"   // bad input: names what and where
	ENOTFOUND = "not_found" // no such scenario, parcel, …
	ECONFLICT = "conflict"  // e.g. a scenario name already taken
	EINTERNAL = "internal"  // a fault of ours
	// EUNAVAILABLE: a service parkplan needs (the database) could not be
	// reached or went away; the same request may succeed later.
	EUNAVAILABLE = "unavailable"
	// ETOOLARGE: an answer would exceed a configured size limit (a feature
	// with more vertices than a response may carry).
	ETOOLARGE = "too_large"
)

// Error is parkplan's application error. Field is a path to the bad value
// (e.g. "parcels.geojson: feature 12 (id P-0012): properties.far"), when known.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID *Error naming the field path at fault.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns err's code if it is (or wraps) an *Error,
// EUNAVAILABLE if it wraps ErrUnavailable, EINTERNAL otherwise, "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.Is(err, ErrUnavailable) {
		return EUNAVAILABLE
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Sentinel errors for what the data causes.
var (
	// ErrInfeasible: no plan satisfies the scenario's rules.
	ErrInfeasible = errors.New("planner: scenario is infeasible")
	// ErrNoPlan: the time limit passed before any plan was found.
	ErrNoPlan = errors.New("planner: no plan found within the time limit")
	// ErrUnavailable: the database could not be reached or dropped the
	// connection (refused, reset, shutting down); nothing about the request
	// was wrong, and it may succeed once the database is back. The store
	// wraps the driver's error with it (data.Unavailable).
	ErrUnavailable = errors.New("the database is unavailable")
)
