//go:build !((production || dev) && linux)

package app

// tuneWebKit has nothing to tune without the Linux desktop window.
func tuneWebKit() {}
