//go:build production || dev || bindings

package app

const desktopBuild = true
