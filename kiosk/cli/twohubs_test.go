//go:build !desktop

package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"tramso/kiosk/pgtest"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
)

// TestTwoHubsOneDatabase runs a province as an IT department would: two
// `tramso hub` processes on one PostgreSQL database, and a kiosk process
// (`tramso serve`) that knows both (hub.urls).
//   - An enrollment code raced on both hubs is spent exactly once.
//   - A pack published through the hub the kiosk is not connected to reaches
//     it at once: the other hub hears of it through the database and
//     announces it. The kiosk's own poll comes every 15 minutes, so a kiosk
//     that has the pack within waitGeneration's 30 s got the push; the time
//     it took, download and apply included, is logged (about 1 s here, the
//     issue's budget is 2 s; budgets are checked by benchmarks, not tests).
//   - The kiosk's hub is killed with SIGKILL: the kiosk moves to the other
//     hub, which then loses every database session (as in a failover) and,
//     without a restart, delivers the next pack published.
func TestTwoHubsOneDatabase(t *testing.T) {
	f := newHubFolders(t) // keys, starter content, a pack at generation 100
	dsn := pgtest.DSN(t)
	packs := map[int64]string{}
	for _, gen := range []int64{101, 102} {
		packs[gen] = filepath.Join(f.tmp, fmt.Sprintf("%d.tspack", gen))
		mustRun(t, "pack", "build", "--src", f.src, "--key", f.key, "--out", packs[gen], "--generation", strconv.FormatInt(gen, 10))
	}
	const user, password = "tinh", "mat-khau-du-dai"
	runTramso(t, password+"\n", "hub", "admin-user", "--db", dsn, "--user", user)

	// Hub A finds its database in the environment, as under systemd; hub B
	// through a URL that names a dead server first, as README's failover
	// URL names the primary and its standby.
	hubs := []*hubProcess{
		startHubProcess(t, "hub A", f, dsn, true),
		startHubProcess(t, "hub B", f, withDeadPrimary(t, dsn), false),
	}

	creds := raceEnrollment(t, f, dsn, hubs)
	kiosk := startKioskProcess(t, f, creds, hubs)
	home, at := kiosk.connectedTo(t, hubs, 0)
	other := hubs[1-home]

	// Staff log in on one hub and publish through the other: the session is
	// the database's, so either hub honours it.
	admin := loginAdmin(t, hubs[home].base, user, password)
	published := admin.publish(t, other.base, packs[101])
	kiosk.waitGeneration(t, 101)
	t.Logf("published through %s, applied by the kiosk on %s %v later", other.name, hubs[home].name,
		time.Since(published).Round(time.Millisecond))

	hubs[home].kill(t)
	next, _ := kiosk.connectedTo(t, hubs, at)
	if next != 1-home {
		t.Fatalf("after %s was killed the kiosk connected to %s", hubs[home].name, hubs[next].name)
	}
	// What a database failover does to a hub: every connection it holds,
	// pooled and listening, breaks. It carries on without a restart.
	dropConnections(t, dsn)
	// The driver checks a pooled connection before reuse once it has been
	// idle a second; one used just before the cut may fail one request, as
	// after any failover. Staff come back later than that.
	time.Sleep(1100 * time.Millisecond)
	other.waitHealthy(t)
	admin.publish(t, other.base, packs[102])
	kiosk.waitGeneration(t, 102)
}

// dropConnections ends every other session on dsn's database, as the
// server does to its clients when it stops.
func dropConnections(t *testing.T, dsn string) {
	t.Helper()
	n := queryInt(t, dsn, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if n == 0 {
		t.Fatal("no hub held a session on the database to end")
	}
}

// queryInt runs a query that answers one integer on the database at dsn.
func queryInt(t *testing.T, dsn, query string) int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// waitHealthy waits until GET /api/health answers 200 (the hub reaches its database).
func (h *hubProcess) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(h.base + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: /api/health not 200 after 30 s (%v)", h.name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// hubProcess is `tramso hub` on 127.0.0.1.
type hubProcess struct {
	*tramsoProcess
	base string // http://127.0.0.1:PORT
}

var servingRe = regexp.MustCompile(`hub serving on (http://127\.0\.0\.1:\d+)/`)

// startHubProcess starts a hub on database dsn, given as --db or, as the
// systemd unit does, in the environment.
func startHubProcess(t *testing.T, name string, f hubFolders, dsn string, inEnv bool) *hubProcess {
	t.Helper()
	args := []string{"hub", "--addr", "127.0.0.1:0", "--data", filepath.Join(f.tmp, strings.ReplaceAll(name, " ", "-")), "--pub", f.pub}
	var env []string
	if inEnv {
		env = []string{HubDBEnv + "=" + dsn}
	} else {
		args = append(args, "--db", dsn)
	}
	p := startTramsoEnv(t, name, "", env, args...)
	m, _ := p.await(t, "serving line", servingRe, 0)
	return &hubProcess{tramsoProcess: p, base: m[1]}
}

func (h *hubProcess) wsURL() string { return "ws" + strings.TrimPrefix(h.base, "http") + "/ws" }

// withDeadPrimary is dsn with a closed port listed before its server and
// target_session_attrs=read-write, the form README gives for a primary and
// its standby.
func withDeadPrimary(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = closedPort(t) + "," + u.Host
	q := u.Query()
	q.Set("target_session_attrs", "read-write")
	u.RawQuery = q.Encode()
	return u.String()
}

// raceEnrollment spends one code with 16 requests at once, half to each
// hub: exactly one enrolls a device; it becomes the test's kiosk.
func raceEnrollment(t *testing.T, f hubFolders, dsn string, hubs []*hubProcess) update.Credentials {
	t.Helper()
	code := strings.TrimSpace(runTramso(t, "", "hub", "code", "--db", dsn, "--commune", "Ea Kao"))
	const racers = 16
	type answer struct {
		status int
		body   []byte
	}
	answers := make([]answer, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]string{"code": code, "name": fmt.Sprintf("Ea Kao %d", i)})
			<-start
			resp, err := http.Post(hubs[i%2].base+"/api/enroll", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Errorf("enroll %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			answers[i] = answer{resp.StatusCode, b}
		}()
	}
	close(start)
	wg.Wait()
	var winner update.Credentials
	won := 0
	for i, a := range answers {
		switch a.status {
		case http.StatusOK:
			won++
			if err := json.Unmarshal(a.body, &winner); err != nil {
				t.Fatalf("enroll %d: %v: %s", i, err, a.body)
			}
		case http.StatusForbidden: // the code was spent by another
		default:
			t.Errorf("enroll %d through %s: %d %s", i, hubs[i%2].name, a.status, a.body)
		}
	}
	if won != 1 {
		t.Fatalf("one code raced on two hubs enrolled %d devices, want 1", won)
	}
	if n := queryInt(t, dsn, `SELECT count(*) FROM devices`); n != 1 {
		t.Fatalf("the database holds %d devices after the race, want 1", n)
	}
	return winner
}

// kioskProcess is `tramso serve` with its own data folder.
type kioskProcess struct {
	*tramsoProcess
	data string
}

// startKioskProcess makes a data folder as `tramso enroll` leaves it with
// two hubs (credentials in the database, hub.urls and the province key in
// the config) and starts the kiosk on it.
func startKioskProcess(t *testing.T, f hubFolders, creds update.Credentials, hubs []*hubProcess) *kioskProcess {
	t.Helper()
	data, cfg := filepath.Join(f.tmp, "kiosk"), filepath.Join(f.tmp, "kiosk.yaml")
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SaveCredentials(context.Background(), st.DB, creds.Store()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	key := base64.StdEncoding.EncodeToString(mustPub(t, f.pub))
	yaml := fmt.Sprintf("hub:\n  urls: [%s, %s]\n  province_keys: [%s]\n", hubs[0].wsURL(), hubs[1].wsURL(), key)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startTramso(t, "kiosk", "", "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)
	return &kioskProcess{tramsoProcess: p, data: data}
}

var connectedRe = regexp.MustCompile(`msg="connected to the hub" hub=(\S+)`)

// connectedTo waits for the kiosk's next "connected to the hub" line after
// from and returns which hub it names and where the line ends.
func (k *kioskProcess) connectedTo(t *testing.T, hubs []*hubProcess, from int) (int, int) {
	t.Helper()
	m, end := k.await(t, "connection to a hub", connectedRe, from)
	for i, h := range hubs {
		if m[1] == h.wsURL() {
			return i, end
		}
	}
	t.Fatalf("the kiosk connected to %s, which is neither hub", m[1])
	return 0, 0
}

// waitGeneration waits until the kiosk serves generation gen.
func (k *kioskProcess) waitGeneration(t *testing.T, gen int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for kioskGeneration(t, k.data) != gen {
		if time.Now().After(deadline) {
			t.Fatalf("the kiosk does not serve generation %d after 30 s", gen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kioskGeneration reads a running kiosk's content state without its lock.
func kioskGeneration(t *testing.T, data string) int64 {
	t.Helper()
	db, err := store.OpenDB(filepath.Join(data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	state, err := (&store.Store{DB: db}).ContentState(context.Background())
	if err != nil {
		return 0
	}
	return state.Current
}

// adminClient is province staff in the console, through plain HTTP.
type adminClient struct{ client *http.Client }

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func loginAdmin(t *testing.T, base, user, password string) *adminClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	a := &adminClient{client: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	token := a.csrf(t, base+"/admin/login")
	form := url.Values{"csrf": {token}, "username": {user}, "password": {password}}
	resp := a.post(t, base, "/admin/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on %s: %d", base, resp.StatusCode)
	}
	return a
}

// publish uploads a pack for everyone through the console of the hub at
// base and returns when the hub answered.
func (a *adminClient) publish(t *testing.T, base, file string) time.Time {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", a.csrf(t, base+"/admin/packs"))
	mw.WriteField("stage", "everyone")
	part, _ := mw.CreateFormFile("pack", filepath.Base(file))
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(raw)
	mw.Close()
	resp := a.post(t, base, "/admin/packs", mw.FormDataContentType(), &body)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=published") {
		t.Fatalf("publish %s through %s: %d %s", filepath.Base(file), base, resp.StatusCode, loc)
	}
	return time.Now()
}

func (a *adminClient) csrf(t *testing.T, page string) string {
	t.Helper()
	resp, err := a.client.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := csrfRe.FindSubmatch(b)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no CSRF token", page, resp.StatusCode)
	}
	return string(m[1])
}

// post sends a form the way a browser on base's page does (Origin: base).
func (a *adminClient) post(t *testing.T, base, path, contentType string, body io.Reader) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", base)
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}
