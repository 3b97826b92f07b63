//go:build !desktop

package cli

import (
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"tramso/kiosk/config"
	"tramso/kiosk/hub"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// cmdHub runs the province hub, or one of its maintenance subcommands.
var cmdHub = &command{
	name:    "hub",
	summary: "run the province hub (fleet, enrollment, publishing); `tramso hub SUBCOMMAND --help` for publish, code, admin-user, stage, rollback, withdraw",
	usage:   "[--addr HOST:PORT] [--data DIR] [--db postgres://…] [--pub FILE]... [--key FILE] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--behind-proxy] [--usage-days N] | SUBCOMMAND ARGS",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
		hf := addHubFlags(fs)
		signing := fs.String("key", "", "province private key, to let the admin roll back (optional; keep it offline if you can)")
		publicURL := fs.String("public-url", "", "the websocket URL kiosks dial, e.g. wss://hub.example/ws (default: from each request)")
		cert := fs.String("tls-cert", "", "TLS certificate (PEM) — serve HTTPS/WSS directly")
		key := fs.String("tls-key", "", "TLS private key (PEM)")
		usageDays := fs.Int("usage-days", 180, "accept kiosks' usage totals for days up to this many days back (1..3650)")
		proxy := fs.Bool("behind-proxy", false, "a reverse proxy on this machine or network forwards to the hub: count login failures per client by the last X-Forwarded-For address")
		return func(env *Env) error {
			if args := fs.Args(); len(args) > 0 {
				for _, c := range hubSubcommands() {
					if c.name == "hub "+args[0] {
						return runCommand(c, args[1:], env)
					}
				}
				return usagef("tramso hub: unknown subcommand %q (publish, code, admin-user, stage, rollback, withdraw)", args[0])
			}
			return runHub(env, hubServeOptions{addr: *addr, hf: hf, signing: *signing, publicURL: *publicURL, cert: *cert, key: *key,
				behindProxy: *proxy, usageDays: *usageDays})
		}
	},
}

func hubSubcommands() []*command {
	return []*command{cmdHubPublish, cmdHubCode, cmdHubAdmin, cmdHubStage, cmdHubRollback, cmdHubWithdraw}
}

// hubFlags locate a hub's data and the province keys it checks packs with.
type hubFlags struct {
	data string
	db   string
	pubs listFlag
}

// HubDBEnv gives --db from the environment, so that a systemd unit (an
// EnvironmentFile readable by the hub's user only) need not put the
// database password on a command line every user can read.
const HubDBEnv = "TRAMSO_HUB_DB"

func addHubFlags(fs *flag.FlagSet) *hubFlags {
	h := &hubFlags{}
	def := filepath.Join(filepath.Dir(config.DefaultDataDir()), "tramso-hub")
	fs.StringVar(&h.data, "data", def, "hub data directory (hub.db, blobs/, province.pub)")
	fs.StringVar(&h.db, "db", "", "the hub's database: empty for SQLite (DATA/hub.db, one hub), or postgres://USER@HOST:PORT/DBNAME shared by several hubs; "+
		"default $"+HubDBEnv+" — put a URL with a password there (e.g. a systemd EnvironmentFile), not on the command line")
	fs.Var(&h.pubs, "pub", "province public key file; repeat for several (default DATA/province.pub when it exists)")
	return h
}

func (h *hubFlags) options() (hub.Options, error) {
	pubs := h.pubs
	if len(pubs) == 0 {
		if _, err := os.Stat(filepath.Join(h.data, "province.pub")); err == nil {
			pubs = listFlag{filepath.Join(h.data, "province.pub")}
		}
	}
	var keys []ed25519.PublicKey
	for _, p := range pubs {
		ks, err := pack.ReadPublicKeys(p)
		if _, perr := pack.ReadPrivateKey(p); err != nil && perr == nil {
			return hub.Options{}, usagef("--pub %s is the province's private key: give its province.pub (the private key signs, offline; a hub given --key signs rollbacks)", p)
		}
		if err != nil {
			return hub.Options{}, fmt.Errorf("--pub %s: %w", p, err)
		}
		keys = append(keys, ks...)
	}
	db := h.db
	if db == "" {
		db = os.Getenv(HubDBEnv)
	}
	if db != "" && !hub.IsPostgresURL(db) {
		return hub.Options{}, usagef("--db (or $%s) %s: want a postgres:// URL, or nothing for SQLite", HubDBEnv, hub.DescribeDatabase(db))
	}
	return hub.Options{Dir: h.data, Database: db, ProvinceKeys: keys, Log: processLog()}, nil
}

// open opens the hub of an existing data directory: a maintenance command
// (code, publish, stage, withdraw) never starts a new hub from a typo in
// --data (outside QA: "account x can now log in" on a hub made just then).
func (h *hubFlags) open() (*hub.Hub, error) {
	if err := h.requireData(false); err != nil {
		return nil, err
	}
	return h.openOrMake()
}

// openOrMake opens the hub, making its data directory if need be (admin-user
// --create-data: the first account of a new hub).
func (h *hubFlags) openOrMake() (*hub.Hub, error) {
	opts, err := h.options()
	if err != nil {
		return nil, err
	}
	return hub.Open(opts)
}

type hubServeOptions struct {
	addr               string
	hf                 *hubFlags
	signing, publicURL string
	cert, key          string
	behindProxy        bool
	usageDays          int
}

func runHub(env *Env, o hubServeOptions) error {
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usagef("--addr %q is not HOST:PORT", o.addr)
	}
	if (o.cert == "") != (o.key == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if o.publicURL != "" {
		if err := config.CheckHubURL(o.publicURL); err != nil {
			return usagef("--public-url: %v", err)
		}
	}
	opts, err := o.hf.options()
	if err != nil {
		return err
	}
	if len(opts.ProvinceKeys) == 0 {
		return usagef("the hub needs the province public key: --pub province.pub (or put it at %s)", filepath.Join(o.hf.data, "province.pub"))
	}
	if o.signing != "" {
		if opts.SigningKey, err = readPrivateKey(env, o.signing); err != nil {
			return fmt.Errorf("--key: %w", err)
		}
		if err := pack.CheckPinned(opts.SigningKey, opts.ProvinceKeys); err != nil {
			return fmt.Errorf("--key %s: %w", o.signing, err)
		}
	}
	opts.PublicURL = o.publicURL
	if o.usageDays < 1 || o.usageDays > 3650 {
		return usagef("--usage-days %d: must be 1..3650", o.usageDays)
	}
	opts.UsageRetentionDays = o.usageDays
	opts.TrustProxy = o.behindProxy
	opts.Frontend = env.Assets // the console's preview shows the kiosk itself
	// Secure cookies need HTTPS; a hub on loopback without TLS is a test or
	// sits behind a local TLS proxy, which --public-url then names.
	opts.InsecureHTTP = o.cert == "" && isLoopbackHost(host) && !strings.HasPrefix(o.publicURL, "wss:")
	h, err := hub.Open(opts)
	if err != nil {
		return err
	}
	defer h.Close()
	where := hub.DescribeDatabase(opts.Database) // never the password
	if h.Dialect() == hub.SQLite {
		where = filepath.Join(opts.Dir, hub.DBFile)
		// Two hubs on one SQLite folder (a manual start beside the
		// service) would both push to kiosks and both run the rollout;
		// the maintenance commands (publish, code…) need no lock.
		lock, err := store.LockDir(opts.Dir)
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("another tramso hub is already serving from %s (the service? systemctl status tramso-hub)", opts.Dir)
		}
		if err != nil {
			return err
		}
		defer lock.Close()
	}
	opts.Log.Info("hub database", "kind", h.Dialect(), "database", where)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	srv := h.Server()
	scheme, serve := "http", func() error { return srv.Serve(ln) }
	if o.cert != "" {
		// Read before saying "serving": a missing or mismatched file is the
		// first thing to hear, not what follows a promise.
		pair, err := tls.LoadX509KeyPair(o.cert, o.key)
		if err != nil {
			return fmt.Errorf("--tls-cert %s, --tls-key %s: %w", o.cert, o.key, err)
		}
		if srv.TLSConfig == nil {
			srv.TLSConfig = &tls.Config{}
		}
		srv.TLSConfig.Certificates = []tls.Certificate{pair}
		scheme, serve = "https", func() error { return srv.ServeTLS(ln, "", "") }
	}
	fmt.Fprintf(env.Stdout, "Trạm Số hub serving on %s://%s/ (admin at /admin/); province key id(s) pinned: %s\n",
		scheme, ln.Addr(), strings.Join(pack.KeyIDs(opts.ProvinceKeys), ", "))
	if o.cert == "" && !opts.InsecureHTTP && !o.behindProxy {
		// Its cookies are for HTTPS: a browser on http:// keeps none.
		fmt.Fprintf(env.Stderr, "note: the console logs in over HTTPS only: put an HTTPS proxy in front (with --behind-proxy) or give --tls-cert and --tls-key; "+
			"over plain http it works on this machine at http://127.0.0.1 only\n")
	}
	return serveUntilSignal(srv, serve, h.Run)
}

func isLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// osUser names who ran a hub command, for the audit log.
func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return strconv.Itoa(os.Getuid())
}
