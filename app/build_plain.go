//go:build !production && !dev && !bindings

package app

// A plain `go build` links no WebKit: wails.Run would only return an error.
const desktopBuild = false
