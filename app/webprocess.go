//go:build (production || dev) && linux

package app

/*
void tramso_watch_later(void);
void tramso_end_later(void);
*/
import "C"

import "time"

// watchWebProcess lets every load of the page play sound untouched, and has
// the window load the page again whenever its web process ends (pageLife
// decides). Call it from OnStartup, when the view exists.
func watchWebProcess() { C.tramso_watch_later() }

// endWebProcess ends the page's web process (to renew the page, or because
// it froze); the watch above loads the page again in a new one. Safe from
// any goroutine: the work is queued onto GTK's main loop, which a frozen
// page does not hold (it runs in the web process).
func endWebProcess() { C.tramso_end_later() }

//export tramsoWebProcessEnded
func tramsoWebProcessEnded(reason C.int) C.int {
	if life.ended(endReason(reason), time.Now()) {
		return 1
	}
	return 0
}
