package config

import (
	"reflect"
	"strings"
	"testing"
)

// usb.media_dirs: absent is Debian's media folders, [] turns the search off,
// and a folder that is not absolute and clean, or is /, or too many of
// them, is refused naming the field (the staff panel walks each at every
// look).
func TestUSBMediaDirs(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"section absent", "commune: {name: Ea Kao}\n", DefaultMediaDirs()},
		{"off", "usb:\n  media_dirs: []\n", []string{}},
		{"one folder", "usb:\n  media_dirs: [/srv/usb]\n", []string{"/srv/usb"}},
	} {
		cfg, err := Parse(strings.NewReader(c.yaml))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(cfg.USB.MediaDirs, c.want) {
			t.Errorf("%s: media_dirs = %q, want %q", c.name, cfg.USB.MediaDirs, c.want)
		}
	}
	for _, bad := range []string{
		"usb:\n  media_dirs: [media]\n",
		"usb:\n  media_dirs: [/]\n",
		"usb:\n  media_dirs: [/media/../etc]\n",
		"usb:\n  media_dirs: [/a, /b, /c, /d, /e, /f, /g, /h, /i]\n",
	} {
		_, err := Parse(strings.NewReader(bad))
		if err == nil || !strings.Contains(err.Error(), "usb.media_dirs") {
			t.Errorf("%q: err = %v, want one naming usb.media_dirs", bad, err)
		}
	}
}
