package cli

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// soundPlugins are the GStreamer plugins WebKit needs to be heard: to read
// the recordings (ogg, opus) and the kiosk's voice (wavparse), and to send
// them to the speakers (autodetect picks alsa).
var soundPlugins = map[string]string{
	"ogg":        "gstreamer1.0-plugins-base",
	"opus":       "gstreamer1.0-plugins-base",
	"wavparse":   "gstreamer1.0-plugins-good",
	"autodetect": "gstreamer1.0-plugins-good",
	"alsa":       "gstreamer1.0-alsa",
}

// checkSound looks for those plugins where Debian installs them. Missing ones
// are a warning: the window works, but nothing on it can be heard.
func (d *doctor) checkSound() finding {
	f := finding{check: "sound"}
	names := slices.Sorted(maps.Keys(soundPlugins))
	var missing, packages []string
	for _, name := range names {
		if !d.hasGstPlugin(name) {
			missing = append(missing, name)
			if pkg := soundPlugins[name]; !slices.Contains(packages, pkg) {
				packages = append(packages, pkg)
			}
		}
	}
	if len(missing) == 0 {
		f.say = msg("GStreamer can play the narration and the kiosk's voice (%s)", strings.Join(names, ", "))
		return f
	}
	f.level = levelWarn
	f.say = msg("GStreamer lacks %s: the window cannot play narration or the kiosk's voice", strings.Join(missing, ", "))
	f.fix = msg("apt-get install %s (the tramso package depends on them)", strings.Join(packages, " "))
	return f
}

func (d *doctor) hasGstPlugin(name string) bool {
	for _, dir := range d.gstDirs {
		if m, _ := filepath.Glob(filepath.Join(dir, "libgst"+name+".so")); len(m) > 0 {
			return true
		}
	}
	return false
}
