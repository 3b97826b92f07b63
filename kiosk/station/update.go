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
// enrollment stored: the config's hub addresses (hub.urls or hub.url) say
// whether and where it connects (hubAddresses); the pinned keys
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
	tlsConf, err := config.HubTLS(cfg.Hub.CAFile) // validated with the config; nil: the system's roots
	if err != nil {
		log.Error("hub.ca_file no longer reads; the hub's certificate is checked against the system's roots only", "err", err)
	}
	return update.New(update.Options{
		Hubs: hubAddresses(cfg, creds, log), Token: creds.Token, Keys: keys, Packs: packs, Store: st, Live: live,
		AppVersion: buildinfo.AppVersion(), Window: cfg.DownloadWindow(), RateBytes: int64(cfg.Hub.DownloadKbps) * 1000 / 8,
		Usage: hubUsage(cfg, st),
		Sound: snd.State,
		Log:   log, TLS: tlsConf, Stall: cfg.Stall(),
	})
}

// hubAddresses is where the kiosk connects: the config's hubs only. A
// config that names none (hub.url: "", "no updates") keeps the kiosk off
// the network even when its database still holds an enrollment: with the
// enrolled URL as a fallback, a copy of a kiosk's data directory (a backup
// restored, a cloned disk) took turns on the hub with the original, each
// replacing the other (outside QA). Said once at start, for the technician.
func hubAddresses(cfg config.Config, creds store.DeviceCredentials, log *slog.Logger) []string {
	hubs := cfg.Hub.Addresses("")
	if len(hubs) == 0 && creds.HubURL != "" {
		log.Warn("the database holds an enrollment with a hub that the config does not name: no updates; set hub.url to that hub to connect again",
			"hub", creds.HubURL, "device", creds.DeviceID)
	}
	return hubs
}

// hubDropped reports whether the database holds an enrollment with a hub
// the config no longer names (hubAddresses): staff are told why the kiosk
// does not connect, not only that it is not enrolled.
func hubDropped(cfg config.Config, st *store.Store) bool {
	creds, _, err := store.LoadCredentials(context.Background(), st.DB)
	return err == nil && creds.HubURL != "" && len(cfg.Hub.Addresses("")) == 0
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

// startUpdate runs the update client when the kiosk is enrolled with a hub
// and its disk can take a download: on a read-only disk every attempt would
// fail, be reported to the hub and be tried again, for as long as the disk
// stays so (staff are told updates are off, logReadOnly).
func (s *Station) startUpdate(ctx context.Context) {
	if !s.Update.Enabled() || s.Store.ReadOnly {
		return
	}
	go func() { _ = s.Update.Run(ctx) }()
}
