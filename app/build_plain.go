//go:build !production && !dev

package app

// A plain `go build` links no WebKit: wails.Run would only return an error.
const desktopBuild = false
