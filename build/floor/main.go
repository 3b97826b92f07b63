// Command floor is the smallest Wails v2 window: one page with one heading,
// opened as the kiosk opens its own (full screen, GPU policy never). Its
// memory and cold start are the floor under the kiosk's window budget, what
// Wails and WebKitGTK cost on a machine before any kiosk code runs:
// app.BenchmarkWindowFloor measures it beside BenchmarkWindowBudget
// (README "Window budget"). Build it as the kiosk is built:
//
//	go build -tags desktop,production,webkit2_41 -o floor ./build/floor
package main

import (
	"embed"
	"io/fs"
	"log"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

//go:embed page
var page embed.FS

func main() {
	assets, err := fs.Sub(page, "page")
	if err != nil {
		log.Fatal(err)
	}
	err = wails.Run(&options.App{
		Title:            "floor",
		Width:            1920,
		Height:           1080,
		Frameless:        true,
		WindowStartState: options.Fullscreen,
		BackgroundColour: &options.RGBA{R: 0xfa, G: 0xf7, B: 0xf0, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		Linux:            &linux.Options{WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		log.Fatal(err)
	}
}
