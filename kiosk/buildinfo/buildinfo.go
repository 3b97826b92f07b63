// Package buildinfo knows which version of Trạm Số is running.
package buildinfo

import "runtime/debug"

// Version is set at release time with -ldflags "-X tramso/kiosk/buildinfo.Version=1.2.3".
var Version = ""

// AppVersion returns the release version, else the VCS revision, else "dev".
func AppVersion() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}
