package main

import (
	"context"
	"errors"
	"io"
)

// runServe implements `parkplan serve`. (placeholder: owned by the helper that builds it)
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("serve: not built yet")
}
