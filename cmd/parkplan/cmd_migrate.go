package main

import (
	"context"
	"errors"
	"io"
)

// runMigrate implements `parkplan migrate`. (placeholder: owned by the helper that builds it)
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("migrate: not built yet")
}
