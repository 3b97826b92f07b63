//go:build !((production || dev) && linux)

package app

// Without the Linux desktop window there is nothing to tune, and no web
// process to watch or renew.
func tuneWebKit()      {}
func watchWebProcess() {}
func endWebProcess()   {}
