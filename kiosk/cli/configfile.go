package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"tramso/kiosk/config"
)

// requireConfigFile refuses a config named with --config that does not
// exist, unless create asks for a new one: enroll, staff-pin and pin-key
// write the file they are given, and a typo (confg.yaml) became a new file
// holding the enrollment while the kiosk went on reading its real config
// (outside QA, s20). The default path may be created: on an installed kiosk
// it exists (the package's), elsewhere it is a developer's own.
func requireConfigFile(path string, named, create bool) error {
	if !named || create {
		return nil
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return advise(fmt.Errorf("the config %s does not exist", path),
			"Check the path given with --config (an installed kiosk's is "+config.InstalledPath+"); "+
				"to write a new config there, add --create-config.")
	case errors.Is(err, fs.ErrPermission):
		return nil // the command's own check says sudo
	case err != nil:
		return fmt.Errorf("config %s: %w", path, err)
	case st.IsDir():
		return fmt.Errorf("--config %s is a directory, not a config file", path)
	}
	return nil
}
