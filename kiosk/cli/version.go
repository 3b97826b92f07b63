package cli

import (
	"runtime"

	"tramso/kiosk/buildinfo"
)

func versionLine() string {
	return "tramso " + buildinfo.AppVersion() + " (" + runtime.Version() + ")"
}
