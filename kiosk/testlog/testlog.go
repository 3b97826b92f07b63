// Package testlog gives tests a logger that keeps their output readable:
// silent unless TRAMSO_TEST_LOG is set, then everything on stderr.
package testlog

import (
	"io"
	"log/slog"
	"os"
)

// Quiet is a logger that writes only when TRAMSO_TEST_LOG is set.
func Quiet() *slog.Logger {
	if os.Getenv("TRAMSO_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
