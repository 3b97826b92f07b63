// Command tramso is the Trạm Số kiosk: the desktop window, the browser server,
// the province hub and the content tools, in one binary (see `tramso --help`).
package main

import (
	"embed"
	"io/fs"
	"os"

	"tramso/app"
	"tramso/kiosk/cli"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	assets, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err)
	}
	os.Exit(cli.Main(os.Args[1:], cli.Env{Assets: assets, Desktop: app.Run}))
}
