package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
)

// A generation the kiosk refused for a defect of the pack, or took back
// because it failed its check, stays refused, with its error shown, until
// the hub's target moves or staff press "update now": the hub saying the
// same target again (a new connection's welcome, an announcement, a poll)
// neither fetches it again nor clears the error as "up to date", and
// neither does a restart of the kiosk. The tests run on the kiosk's own
// SQLite file and a real hub on 127.0.0.1 (on PostgreSQL under
// TRAMSO_HUB_TEST_DB=postgres).

// refusal is a way for the hub to offer a generation the kiosk will not
// keep, and the error staff are then shown.
type refusal struct {
	name  string
	offer func(t *testing.T, h *refusalHub, gen int64) // publish gen, refused
	error string                                       // in Status.LastError once refused
}

var refusals = []refusal{
	// A blob that fails its hash: the manifest is fine, so only the
	// kiosk's memory of the refusal keeps it from downloading it again.
	{"hash_mismatch", func(t *testing.T, h *refusalHub, gen int64) {
		claimed, served := randomBytes(10<<10), randomBytes(10<<10)
		m := *h.base
		m.Files = append([]pack.File(nil), h.base.Files...)
		m.Generation = gen
		sum := sha256.Sum256(claimed)
		sha := hex.EncodeToString(sum[:])
		m.Files = append(m.Files, pack.File{Path: "media/extra/x.ogg", SHA256: sha, Size: int64(len(claimed))})
		raw, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		sig, err := pack.Sign(raw, h.key)
		if err != nil {
			t.Fatal(err)
		}
		hubtest.PlantBlob(t, h.Blobs(), sha, served)
		// As a broken hub would serve it: PublishManifest skips the hub's
		// own checks.
		if err := h.PublishManifest(context.Background(), raw, sig, &m, hub.PublishOptions{Stage: hub.StageEveryone, By: "test"}); err != nil {
			t.Fatal(err)
		}
	}, "hash_mismatch"},
	// A pack that applies and then fails the check made right after
	// switching (no tutorials and no procedures): taken back at once. It
	// counts as applied, so only the memory of the refusal keeps the next
	// look at the hub from calling the kiosk "up to date".
	{"failed_check", func(t *testing.T, h *refusalHub, gen int64) {
		var empty bytes.Buffer
		files := fstest.MapFS{"pack.yaml": {Data: []byte("schema: 1\ngeneration: 1\ntitle: \"Trống\"\n")}}
		if _, err := pack.Build(files, pack.BuildOptions{Generation: gen, Keys: []ed25519.PrivateKey{h.key}}, &empty); err != nil {
			t.Fatal(err)
		}
		h.publish(t, empty.Bytes(), hub.StageEveryone)
	}, "the new content did not load"},
}

// refusalHub is a real hub that counts what kiosks ask it for and can cut
// their websockets, as a bad rural link does.
type refusalHub struct {
	*testHub
	key     ed25519.PrivateKey
	base    *pack.Manifest // of the good generation the kiosk starts on
	sockets hijacked

	mu       sync.Mutex
	requests []string // paths, in order
}

func startRefusalHub(t *testing.T) *refusalHub {
	h := &refusalHub{key: newKey(t)}
	h.testHub = &testHub{hubtest.Start(t, hubtest.Options{Wrap: h.wrap, Hub: hub.Options{
		ProvinceKeys: []ed25519.PublicKey{h.key.Public().(ed25519.PublicKey)},
		Heartbeat:    5 * time.Second, Poll: 10 * time.Second, FlushEvery: 50 * time.Millisecond}})}
	return h
}

func (h *refusalHub) wrap(next http.Handler) http.Handler {
	sockets := h.sockets.wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.requests = append(h.requests, r.URL.Path)
		h.mu.Unlock()
		if r.URL.Path == "/ws" {
			sockets.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// asked counts the requests so far whose path starts with prefix.
func (h *refusalHub) asked(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, p := range h.requests {
		if strings.HasPrefix(p, prefix) {
			n++
		}
	}
	return n
}

// downloads counts the requests for generation gen's files and for blobs.
func (h *refusalHub) downloads(gen int64) int {
	return h.asked(fmt.Sprintf("/packs/%d/", gen)) + h.asked("/blobs/")
}

// reportsOf counts the kiosk's reports about gen that are not "applied".
func (h *refusalHub) reportsOf(t *testing.T, id string, gen int64) int {
	t.Helper()
	reports, err := h.Reports(context.Background(), id, 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range reports {
		if r.Generation == gen && r.Outcome != "applied" {
			n++
		}
	}
	return n
}

// rejectionsOf counts the refusals of gen the kiosk recorded.
func rejectionsOf(t *testing.T, k *kiosk, gen int64) int {
	t.Helper()
	rs, err := k.st.RecentContentRejections(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rs {
		if r.Generation == gen {
			n++
		}
	}
	return n
}

// refusedShown says what is wrong with a status that should show the
// refusal of gen with an error containing want ("" when nothing is).
func refusedShown(s update.Status, gen int64, want string) string {
	if !strings.Contains(s.LastError, want) || s.State != "failed" || s.TargetGeneration != gen {
		return fmt.Sprintf("status %+v; want state failed, target %d and an error with %q", s, gen, want)
	}
	return ""
}

// holds checks cond every 20 ms for d, failing the test the first time it
// says something is wrong: long enough for a kiosk that acts on the hub's
// word to have done so, as it does within milliseconds.
func holds(t *testing.T, d time.Duration, what string, cond func() string) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if wrong := cond(); wrong != "" {
			t.Fatalf("%s: %s", what, wrong)
		}
	}
}

// refusedOnTheHub starts a kiosk on dir, brings it to a good generation
// and has the hub offer the refused one after it, with r. It returns the
// kiosk, its credentials and the refused generation.
func refusedOnTheHub(t *testing.T, h *refusalHub, dir string, r refusal, good int64) (*kiosk, update.Credentials, int64) {
	t.Helper()
	creds := enroll(t, h.testHub, "")
	k := startKioskIn(t, dir, creds, nil)
	file := buildPack(t, h.key, good, nil)
	h.base = manifestOf(t, h.key, file)
	h.publish(t, file, hub.StageEveryone)
	eventually(t, "the good generation is applied", func() bool { return k.generation() == good })

	bad := good + 1
	r.offer(t, h, bad)
	eventually(t, "the generation is refused", func() bool { return refusedShown(k.client.Status(), bad, r.error) == "" })
	if g := k.generation(); g != good {
		t.Fatalf("serving %d after the refusal, want %d", g, good)
	}
	eventually(t, "the refusal reaches the hub", func() bool { return h.reportsOf(t, k.id, bad) == 1 })
	return k, creds, bad
}

// counts are what the hub served of a generation and the kiosk recorded
// about it.
type counts struct{ downloads, rejections int }

func countsOf(t *testing.T, h *refusalHub, k *kiosk, gen int64) counts {
	t.Helper()
	return counts{h.downloads(gen), rejectionsOf(t, k, gen)}
}

// stillRefused checks, for a while, that the kiosk k shows the refusal of
// gen, and has neither downloaded it again nor refused or reported it
// again since before (taken before the hub's word or the restart).
func stillRefused(t *testing.T, h *refusalHub, k *kiosk, gen int64, want, when string, before counts) {
	t.Helper()
	downloads, rejections := before.downloads, before.rejections
	holds(t, 2*time.Second, when, func() string {
		if n := h.downloads(gen); n != downloads {
			return fmt.Sprintf("the refused generation was downloaded again (%d requests, %d before)", n, downloads)
		}
		if n := rejectionsOf(t, k, gen); n != rejections {
			return fmt.Sprintf("the kiosk refused it again (%d refusals recorded)", n)
		}
		if n := h.reportsOf(t, k.id, gen); n != 1 {
			return fmt.Sprintf("%d reports of it on the hub, want the one", n)
		}
		return refusedShown(k.client.Status(), gen, want)
	})
}

// TestRefusalOutlivesTheHubsNextWord: after the refusal, the connection
// drops and the kiosk connects again; the hub's welcome (and announcement)
// name the same target. The error stays, nothing is downloaded again. A
// newer generation then clears it and applies (CI s28: the failed check's
// error went at the next notification, as "up to date").
func TestRefusalOutlivesTheHubsNextWord(t *testing.T) {
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			h := startRefusalHub(t)
			k, _, bad := refusedOnTheHub(t, h, t.TempDir(), r, 9100)

			before, dials := countsOf(t, h, k, bad), h.asked("/ws")
			h.sockets.close()
			eventually(t, "the kiosk connects again", func() bool {
				return h.asked("/ws") > dials && k.client.Status().Connected
			})
			stillRefused(t, h, k, bad, r.error, "after the hub named the refused target again", before)

			h.publish(t, buildPack(t, h.key, bad+1, nil), hub.StageEveryone)
			eventually(t, "the newer generation is applied, the error gone", func() bool {
				s := k.client.Status()
				return k.generation() == bad+1 && s.LastError == "" && s.State == "idle"
			})
		})
	}
}

// TestRefusalOutlivesARestart: the kiosk restarts (a new client on the same
// data directory) while the hub still offers the refused generation. It
// shows the refusal from the start and after connecting, and neither
// downloads the generation again nor applies or refuses it again. A newer
// generation then clears it and applies, and after one more restart no
// error is left.
func TestRefusalOutlivesARestart(t *testing.T) {
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			h := startRefusalHub(t)
			dir := t.TempDir()
			k, creds, bad := refusedOnTheHub(t, h, dir, r, 9200)
			before := countsOf(t, h, k, bad)
			k.stop()

			polls := h.asked("/api/device/target")
			k = startKioskIn(t, dir, creds, nil)
			if wrong := refusedShown(k.client.Status(), bad, r.error); wrong != "" {
				t.Fatalf("on starting again: %s", wrong)
			}
			eventually(t, "the restarted kiosk connects and polls", func() bool {
				return k.client.Status().Connected && h.asked("/api/device/target") > polls
			})
			stillRefused(t, h, k, bad, r.error, "after the restart", before)
			if g := k.generation(); g != bad-1 {
				t.Fatalf("serving %d after the restart, want %d", g, bad-1)
			}

			// "Update now" still tries the refused generation again, as
			// before the restart: the bad blob is fetched and refused once
			// more; the generation taken back counts as applied, so there
			// is nothing newer to take and its error goes.
			downloads, rejections := h.downloads(bad), rejectionsOf(t, k, bad)
			k.client.UpdateNow()
			switch r.name {
			case "hash_mismatch":
				eventually(t, "update now fetches and refuses it again", func() bool {
					return h.downloads(bad) > downloads && rejectionsOf(t, k, bad) == rejections+1 &&
						refusedShown(k.client.Status(), bad, r.error) == ""
				})
			case "failed_check":
				eventually(t, "update now finds nothing newer", func() bool {
					s := k.client.Status()
					return s.LastError == "" && s.State == "idle"
				})
			}

			h.publish(t, buildPack(t, h.key, bad+1, nil), hub.StageEveryone)
			eventually(t, "the newer generation is applied, the error gone", func() bool {
				s := k.client.Status()
				return k.generation() == bad+1 && s.LastError == "" && s.State == "idle"
			})
			eventually(t, "the database knows", func() bool {
				u, err := store.LoadUpdateState(context.Background(), k.st.DB)
				r, rerr := store.LoadUpdateRefusal(context.Background(), k.st.DB)
				return err == nil && rerr == nil && u.LastError == "" && r == (store.UpdateRefusal{})
			})
			k.stop()
			k = startKioskIn(t, dir, creds, nil)
			if s := k.client.Status(); s.LastError != "" || s.State == "failed" {
				t.Fatalf("the refusal came back after the next restart: %+v", s)
			}
			eventually(t, "connected on the newer generation", func() bool { return k.client.Status().Connected })
			holds(t, time.Second, "connected on the newer generation", func() string {
				if s := k.client.Status(); s.LastError != "" || s.State != "idle" || k.generation() != bad+1 {
					return fmt.Sprintf("status %+v, serving %d", s, k.generation())
				}
				return ""
			})
		})
	}
}
