package station

import (
	"context"
	"log/slog"
	"time"

	"tramso/kiosk/buildinfo"
	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/sound"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
	"tramso/kiosk/usage"
)

// newUpdateClient builds the update client from the config and what
// enrollment stored: the config's hub addresses (hub.urls or hub.url) win
// over the enrolled URL; the pinned keys
// are the config's only (hub.province_keys, which `tramso enroll` writes once
// the key ids are confirmed out of band), never what a hub sent; hub.ca_file
// adds the province's CA to the roots the hub's certificate is checked against.
func newUpdateClient(cfg config.Config, st *store.Store, packs *pack.Store, live *content.Live, snd *sound.Switch, log *slog.Logger) *update.Client {
	ctx := context.Background()
	creds, _, err := store.LoadCredentials(ctx, st.DB)
	if err != nil {
		log.Warn("read device credentials", "err", err)
	}
	keys := cfg.Keys()
	window, _ := config.ParseDailyWindow(cfg.Hub.DownloadWindow) // validated with the config
	tlsConf, err := config.HubTLS(cfg.Hub.CAFile)                // validated too; nil: the system's roots
	if err != nil {
		log.Error("hub.ca_file no longer reads; the hub's certificate is checked against the system's roots only", "err", err)
	}
	return update.New(update.Options{
		Hubs: cfg.Hub.Addresses(creds.HubURL), Token: creds.Token, Keys: keys, Packs: packs, Store: st, Live: live,
		AppVersion: buildinfo.AppVersion(), Window: window, RateBytes: int64(cfg.Hub.DownloadKbps) * 1000 / 8,
		Usage: hubUsage(cfg, st),
		Sound: snd.State,
		Log:   log, TLS: tlsConf, Stall: cfg.Stall(),
	})
}

// hubUsage returns the last week's usage totals for the hub (usage.HubTotals),
// its days and hours those of the province (schedule.timezone), as the
// kiosk's own export has them: a kiosk whose clock runs in UTC must not file
// a 22:30 visit under 15:00, nor one at 06:00 under the day before.
func hubUsage(cfg config.Config, st *store.Store) func(ctx context.Context) ([]store.UsageTotal, error) {
	return func(ctx context.Context) ([]store.UsageTotal, error) {
		now := time.Now().In(cfg.Location())
		return usage.HubTotals(ctx, st.DB, now.AddDate(0, 0, -7), now, cfg.Usage.ExportThreshold)
	}
}

// startUpdate runs the update client when the kiosk is enrolled with a hub.
func (s *Station) startUpdate(ctx context.Context) {
	if !s.Update.Enabled() {
		return
	}
	go func() { _ = s.Update.Run(ctx) }()
}
