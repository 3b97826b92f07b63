package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hub"
	"tramso/kiosk/pack"
)

// cmdHub runs the province hub, or one of its maintenance subcommands.
var cmdHub = &command{
	name:    "hub",
	summary: "run the province hub (fleet, enrolment, publishing); `tramso hub SUBCOMMAND --help` for publish, code, admin-user, stage, rollback, withdraw",
	usage:   "[--addr HOST:PORT] [--data DIR] [--pub FILE]... [--key FILE] [--public-url URL] [--tls-cert FILE --tls-key FILE] [--behind-proxy] [--usage-days N] | SUBCOMMAND ARGS",
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
	pubs stringList
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func addHubFlags(fs *flag.FlagSet) *hubFlags {
	h := &hubFlags{}
	def := filepath.Join(filepath.Dir(config.DefaultDataDir()), "tramso-hub")
	fs.StringVar(&h.data, "data", def, "hub data directory (hub.db, blobs/)")
	fs.Var(&h.pubs, "pub", "province public key file; repeat for several (default DATA/province.pub when it exists)")
	return h
}

func (h *hubFlags) options() (hub.Options, error) {
	pubs := h.pubs
	if len(pubs) == 0 {
		if _, err := os.Stat(filepath.Join(h.data, "province.pub")); err == nil {
			pubs = stringList{filepath.Join(h.data, "province.pub")}
		}
	}
	var keys []ed25519.PublicKey
	for _, p := range pubs {
		k, err := pack.ReadPublicKey(p)
		if err != nil {
			return hub.Options{}, fmt.Errorf("--pub %s: %w", p, err)
		}
		keys = append(keys, k)
	}
	return hub.Options{Dir: h.data, ProvinceKeys: keys, Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}, nil
}

func (h *hubFlags) open() (*hub.Hub, error) {
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
		return usagef("the hub needs the province public key: --pub province.pub (or put it in %s)", o.hf.data)
	}
	if o.signing != "" {
		if opts.SigningKey, err = pack.ReadPrivateKey(o.signing); err != nil {
			return fmt.Errorf("--key: %w", err)
		}
	}
	opts.PublicURL = o.publicURL
	if o.usageDays < 1 || o.usageDays > 3650 {
		return usagef("--usage-days %d: must be 1..3650", o.usageDays)
	}
	opts.UsageRetentionDays = o.usageDays
	opts.TrustProxy = o.behindProxy
	// Secure cookies need HTTPS; a hub on loopback without TLS is a test or
	// sits behind a local TLS proxy, which --public-url then names.
	opts.InsecureHTTP = o.cert == "" && isLoopbackHost(host) && !strings.HasPrefix(o.publicURL, "wss:")
	h, err := hub.Open(opts)
	if err != nil {
		return err
	}
	defer h.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv := h.Server()
	done := make(chan struct{})
	go func() { _ = h.Run(ctx); close(done) }()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	scheme := "http"
	if o.cert != "" {
		scheme = "https"
	}
	fmt.Fprintf(env.Stdout, "Trạm Số hub serving on %s://%s/ (admin at /admin/)\n", scheme, ln.Addr())
	if o.cert != "" {
		err = srv.ServeTLS(ln, o.cert, o.key)
	} else {
		err = srv.Serve(ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-done
	return nil
}

func isLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

var cmdHubPublish = &command{
	name:    "hub publish",
	summary: "publish a signed pack file to the hub's kiosks (a running hub picks it up within seconds)",
	usage:   "[--data DIR] [--pub FILE]... [--stage test|1..9|everyone] FILE",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		stage := fs.String("stage", "test", "who gets it first: test (the test group), a wave 1..9, or everyone")
		return func(env *Env) error {
			if fs.NArg() != 1 {
				return usagef("tramso hub publish: give one pack FILE")
			}
			st, err := hub.ParseStage(*stage)
			if err != nil {
				return usagef("--stage: %v", err)
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			sm, err := h.Publish(context.Background(), f, hub.PublishOptions{Stage: st, By: "cli"})
			if err != nil {
				return err
			}
			h.AuditCLI(osUser(), "pack_published", fmt.Sprintf("thế hệ %d, %s", sm.Manifest.Generation, *stage))
			fmt.Fprintf(env.Stdout, "published generation %d (%q, %d files) to %s\n", sm.Manifest.Generation,
				sm.Manifest.Title, len(sm.Manifest.Files), *stage)
			return nil
		}
	},
}

var cmdHubCode = &command{
	name:    "hub code",
	summary: "create a one-time enrolment code for a kiosk",
	usage:   "[--data DIR] [--commune NAME]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		commune := fs.String("commune", "", "the commune the kiosk belongs to")
		return func(env *Env) error {
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			code, err := h.CreateCode(context.Background(), *commune, "cli")
			if err != nil {
				return err
			}
			h.AuditCLI(osUser(), "code_created", *commune)
			fmt.Fprintln(env.Stdout, code)
			return nil
		}
	},
}

var cmdHubAdmin = &command{
	name:    "hub admin-user",
	summary: "create a province staff login for the hub's admin (or set a new password); reads the password from standard input",
	usage:   "[--data DIR] --user NAME",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		user := fs.String("user", "", "user name")
		return func(env *Env) error {
			if *user == "" {
				return usagef("tramso hub admin-user: --user is required")
			}
			fmt.Fprintf(env.Stderr, "password for %s (one line, at least 10 characters): ", *user)
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read password: %w", err)
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			if err := h.CreateAdmin(context.Background(), *user, strings.TrimRight(line, "\r\n")); err != nil {
				return err
			}
			h.AuditCLI(osUser(), "admin_user_set", *user)
			fmt.Fprintf(env.Stdout, "admin user %s can now log in at /admin/\n", *user)
			return nil
		}
	},
}

var cmdHubStage = &command{
	name:    "hub stage",
	summary: "widen a rollout (test → waves → everyone) or halt it",
	usage:   "[--data DIR] --generation N --stage test|1..9|everyone|halt",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		gen := fs.Int64("generation", 0, "the published generation")
		stage := fs.String("stage", "", "test, a wave 1..9, everyone, or halt")
		return func(env *Env) error {
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			ctx := context.Background()
			if *stage == "halt" {
				err = h.Halt(ctx, *gen)
			} else {
				st, perr := hub.ParseStage(*stage)
				if perr != nil {
					return usagef("--stage: %v", perr)
				}
				err = h.SetStage(ctx, *gen, st)
			}
			if err != nil {
				return err
			}
			action := "rollout_stage"
			if *stage == "halt" {
				action = "rollout_halted"
			}
			h.AuditCLI(osUser(), action, fmt.Sprintf("thế hệ %d, %s", *gen, *stage))
			fmt.Fprintf(env.Stdout, "generation %d: %s\n", *gen, *stage)
			return nil
		}
	},
}

var cmdHubRollback = &command{
	name:    "hub rollback",
	summary: "roll the fleet back: publish an earlier generation's content again under a new generation",
	usage:   "[--data DIR] --key FILE --to GENERATION [--stage everyone]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		keyPath := fs.String("key", "", "province private key (province.key)")
		to := fs.Int64("to", 0, "the earlier generation whose content comes back")
		stage := fs.String("stage", "everyone", "who gets it: test, a wave 1..9, or everyone")
		return func(env *Env) error {
			if *keyPath == "" || *to == 0 {
				return usagef("tramso hub rollback: --key and --to are required")
			}
			st, err := hub.ParseStage(*stage)
			if err != nil {
				return usagef("--stage: %v", err)
			}
			key, err := pack.ReadPrivateKey(*keyPath)
			if err != nil {
				return err
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			gen, err := h.Rollback(context.Background(), *to, key, hub.PublishOptions{Stage: st, By: "cli"})
			if err != nil {
				return err
			}
			h.AuditCLI(osUser(), "rollout_rollback", fmt.Sprintf("thế hệ %d thành thế hệ %d, %s", *to, gen, *stage))
			fmt.Fprintf(env.Stdout, "published the content of %d again as generation %d to %s\n", *to, gen, *stage)
			return nil
		}
	},
}

var cmdHubWithdraw = &command{
	name:    "hub withdraw",
	summary: "remove a published pack whose generation is outside 1..2^53-1 (the hub ignores it and logs it at start)",
	usage:   "[--data DIR] --generation N",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		gen := fs.Int64("generation", 0, "the out-of-range generation, as the hub's log names it")
		return func(env *Env) error {
			if *gen == 0 {
				return usagef("tramso hub withdraw: --generation is required")
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			if err := h.Withdraw(context.Background(), *gen, "cli"); err != nil {
				return err
			}
			h.AuditCLI(osUser(), "pack_withdrawn", fmt.Sprintf("thế hệ %d", *gen))
			fmt.Fprintf(env.Stdout, "generation %d withdrawn\n", *gen)
			return nil
		}
	},
}

// osUser names who ran a hub command, for the audit log.
func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return strconv.Itoa(os.Getuid())
}
