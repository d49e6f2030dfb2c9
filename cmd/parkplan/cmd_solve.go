package main

import (
	"context"
	"errors"
	"io"
)

// runSolve implements `parkplan solve`. (placeholder: owned by the helper that builds it)
func runSolve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("solve: not built yet")
}
