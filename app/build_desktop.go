//go:build production || dev

package app

const desktopBuild = true
