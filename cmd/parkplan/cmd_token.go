package main

import (
	"context"
	"errors"
	"io"
)

// runToken implements `parkplan token`. (placeholder: owned by the helper that builds it)
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("token: not built yet")
}
