package main

import (
	"context"
	"errors"
	"io"
)

// runDemo implements `parkplan demo`. (placeholder: owned by the helper that builds it)
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("demo: not built yet")
}
