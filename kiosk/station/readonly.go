package station

import (
	"log/slog"
	"strings"

	"tramso/kiosk/store"
)

// logReadOnly tells the technician that the kiosk runs from a read-only
// disk, what that costs and what to do. Residents keep the kiosk: the
// content on the disk is served as it is.
func logReadOnly(log *slog.Logger, st *store.Store) {
	log.Error("the data directory's disk is read-only: the kiosk serves its content but records no usage figures, "+
		"takes no content updates and keeps the staff PIN count in memory only; "+store.ReadOnlyAdvice,
		"dir", st.Dir)
	if st.Unreadable != nil {
		log.Error("the kiosk's database cannot be read on the read-only disk: it does not know which content "+
			"pack is current, so it shows the starter content", "err", st.Unreadable)
	}
	if len(st.Behind) > 0 {
		log.Error("the kiosk's database was written by an older version and the read-only disk cannot bring it up to date: "+
			"the kiosk serves its content, but what the newer version keeps (such as the window's incidents) is missing until "+
			"the disk is repaired and the kiosk restarted", "missing_migrations", strings.Join(st.Behind, ","))
	}
}
