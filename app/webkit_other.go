//go:build !((production || dev) && linux)

package app

// Without the Linux desktop window there is nothing to tune, no web process
// to watch or renew, and no main loop to quit.
func tuneWebKit()      {}
func watchWebProcess() {}
func endWebProcess()   {}
func quitMainLoop()    {}

// windowFullscreen: no window, so never full screen.
func windowFullscreen() (full, ok bool) { return false, true }
