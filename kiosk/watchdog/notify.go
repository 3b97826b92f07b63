// Package watchdog tells systemd that the kiosk is alive — and only while its
// screen is. The page pings the API (POST /api/alive); the kiosk passes
// WATCHDOG=1 to systemd only while those pings keep arriving, so a frozen UI
// (a stuck JavaScript main loop, a wedged WebKit) is restarted by systemd just
// like a crashed process. It speaks the sd_notify protocol itself: one
// datagram on the unix socket named by $NOTIFY_SOCKET, no libsystemd.
package watchdog

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

// Notifier sends sd_notify messages. The zero value (no socket) does nothing,
// which is what a kiosk started by hand or by a test wants.
type Notifier struct {
	Socket string // $NOTIFY_SOCKET: a path, or "@name" for an abstract socket
}

// FromEnv returns the notifier systemd set up for this process, if any.
func FromEnv() Notifier { return Notifier{Socket: os.Getenv("NOTIFY_SOCKET")} }

// Enabled reports whether there is anyone to notify.
func (n Notifier) Enabled() bool { return n.Socket != "" }

// Notify sends one state line such as "READY=1" or "WATCHDOG=1".
func (n Notifier) Notify(state string) error {
	if n.Socket == "" {
		return nil
	}
	name := n.Socket
	if name[0] == '@' {
		name = "\x00" + name[1:] // abstract namespace
	} else if name[0] != '/' {
		return fmt.Errorf("sd_notify: NOTIFY_SOCKET %q is neither a path nor @abstract", n.Socket)
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify %s: %w", state, err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify %s: %w", state, err)
	}
	return nil
}

// Interval returns systemd's watchdog timeout ($WATCHDOG_USEC), or 0 when the
// unit has no WatchdogSec=. Unlike sd_watchdog_enabled, it ignores
// $WATCHDOG_PID: on a kiosk the main process is the compositor (cage) and the
// kiosk is its child, allowed to notify by NotifyAccess=all.
func Interval() (time.Duration, error) {
	v := os.Getenv("WATCHDOG_USEC")
	if v == "" {
		return 0, nil
	}
	usec, err := strconv.ParseUint(v, 10, 63)
	if err != nil || usec == 0 {
		return 0, errors.New("WATCHDOG_USEC " + strconv.Quote(v) + " is not a positive number of microseconds")
	}
	return time.Duration(usec) * time.Microsecond, nil
}
