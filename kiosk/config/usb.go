package config

import (
	"fmt"
	"path/filepath"
)

// USB says where the kiosk looks for content packs on a USB stick, for the
// staff panel to offer them (kiosk/usbpacks):
//
//	usb:
//	  media_dirs: [/media, /run/media]   # [] turns the search off
//
// A stick is mounted one or two folders below one of them (/media/STICK, as
// the Debian package's udev rule mounts it, or /media/USER/STICK as a desktop
// does).
type USB struct {
	MediaDirs []string `yaml:"media_dirs"`
}

// DefaultMediaDirs are where Debian mounts removable media.
func DefaultMediaDirs() []string { return []string{"/media", "/run/media"} }

func (u *USB) applyDefaults() {
	if u.MediaDirs == nil {
		u.MediaDirs = DefaultMediaDirs()
	}
}

// maxMediaDirs bounds usb.media_dirs: each is searched at every look.
const maxMediaDirs = 8

func (c *Config) validateUSB() error {
	if len(c.USB.MediaDirs) > maxMediaDirs {
		return &FieldError{"usb.media_dirs", fmt.Sprintf("names %d folders; at most %d", len(c.USB.MediaDirs), maxMediaDirs)}
	}
	for _, d := range c.USB.MediaDirs {
		if !filepath.IsAbs(d) || filepath.Clean(d) != d || d == "/" {
			return &FieldError{"usb.media_dirs", fmt.Sprintf("%q must be an absolute, clean folder path other than / (like /media)", d)}
		}
	}
	return nil
}
