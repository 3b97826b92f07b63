package station

import (
	"context"
	"log/slog"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/store"
	"tramso/kiosk/usage"
)

// newUsageLog makes the anonymous usage log; Run starts its writer and Close
// writes what is queued.
func newUsageLog(cfg config.Config, st *store.Store, live *content.Live, log *slog.Logger) *usage.Log {
	return usage.New(st.DB, usage.Options{
		Catalog:        usage.LiveCatalog(live),
		Languages:      cfg.Languages,
		RetentionDays:  cfg.Usage.RetentionDays,
		Location:       cfg.Location(),
		SessionTimeout: sessionTimeout(cfg.Idle),
		Log:            log,
		ReadOnly:       st.ReadOnly,
	})
}

// sessionTimeout is how long a session may stay silent before the server ends
// it itself: the UI's idle wipe (or the staff panel) plus a margin, for when
// the page could not say the session ended.
func sessionTimeout(idle config.Idle) time.Duration {
	secs := max(idle.QuietSeconds+idle.WarningSeconds, idle.StaffSeconds)
	return time.Duration(secs)*time.Second + 2*time.Minute
}

// startUsage runs the usage log's writer until ctx ends.
func (s *Station) startUsage(ctx context.Context) {
	go func() {
		if err := s.Usage.Run(ctx); err != nil {
			s.Log.Warn("usage log", "err", err)
		}
	}()
}
