package main

import (
	"context"
	"errors"
	"io"
)

// runModel implements `parkplan model`. (placeholder: owned by the helper that builds it)
func runModel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("model: not built yet")
}
