package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/testlog"
)

// postFile posts a multipart form with one file, as the packs page does.
func (a *admin) postFile(path string, fields map[string]string, field, name string, data []byte) (int, string) {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	resp, err := a.client.Post(a.srv.URL+path, mw.FormDataContentType(), &body)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
}

// unsignedPack is what `tramso pack build` without --key writes for the
// starter content at gen: the pack and its manifest.json.
func unsignedPack(t *testing.T, gen int64) ([]byte, []byte) {
	t.Helper()
	var file bytes.Buffer
	raw, err := pack.BuildUnsigned(content.Starter(), pack.BuildOptions{Generation: gen}, &file)
	if err != nil {
		t.Fatal(err)
	}
	return file.Bytes(), raw
}

// openHub runs a hub on opts (Dir and Database given, so that a second hub
// can open the same database) behind a test server; stop ends both, and
// runs at the test's end if the test has not.
func openHub(t *testing.T, opts Options) (*Hub, *httptest.Server, func()) {
	t.Helper()
	opts.InsecureHTTP, opts.Log, opts.FlushEvery = true, testlog.Quiet(), 50*time.Millisecond
	h, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	srv := httptest.NewServer(h.Handler())
	var once sync.Once
	stop := func() {
		once.Do(func() {
			srv.CloseClientConnections()
			srv.Close()
			cancel()
			<-done
			h.Close()
		})
	}
	t.Cleanup(stop)
	return h, srv, stop
}

func signerSession(t *testing.T, h *Hub, srv *httptest.Server) (*admin, string) {
	t.Helper()
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	return a, a.csrf("/admin/packs")
}

// published lists the generations published, newest first.
func published(t *testing.T, h *Hub) []int64 {
	t.Helper()
	rs, err := h.Rollouts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var gens []int64
	for _, r := range rs {
		gens = append(gens, r.Generation)
	}
	return gens
}

func pendingGens(t *testing.T, h *Hub) []int64 {
	t.Helper()
	ps, err := h.PendingPacks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var gens []int64
	for _, p := range ps {
		gens = append(gens, p.Generation)
	}
	return gens
}

// TestOfflineSigningThroughConsole: an unsigned pack uploaded in the
// console, its manifest.json downloaded, signed as the offline machine signs
// it and the signature uploaded, is published — the very pack `pack build`
// with the key makes. Signatures by an unpinned key, over another manifest
// or cut short publish nothing and leave the pack waiting.
func TestOfflineSigningThroughConsole(t *testing.T) {
	pub, priv := provinceKey(t)
	_, stranger := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	ctx := context.Background()

	const gen = 600
	unsigned, raw := unsignedPack(t, gen)
	code, page := a.postFile("/admin/packs/unsigned", map[string]string{"csrf": token}, "pack", "starter.tspack", unsigned)
	m, _ := pack.ParseManifest(raw)
	for _, want := range []string{"Đã nhận gói chưa ký", "chờ ký", "Thế hệ 600", pack.Digest(raw), signCommand,
		`href="/admin/packs/pending/600/manifest.json"`, humanBytes(m.TotalSize())} {
		if code != http.StatusOK || !strings.Contains(page, want) {
			t.Fatalf("after the unsigned upload (%d) the page lacks %q: %.4000s", code, want, page)
		}
	}
	if got := published(t, h); len(got) != 0 {
		t.Fatalf("an unsigned pack was published: %v", got)
	}
	resp, err := a.client.Get(srv.URL + "/admin/packs/pending/600/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	manifest := []byte(readAll(resp))
	if resp.StatusCode != http.StatusOK || !bytes.Equal(manifest, raw) ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="manifest.json"` {
		t.Fatalf("manifest download: %d %q, %d bytes, equal to BuildUnsigned's: %v", resp.StatusCode,
			resp.Header.Get("Content-Disposition"), len(manifest), bytes.Equal(manifest, raw))
	}

	good, err := pack.SignManifest(manifest, priv)
	if err != nil {
		t.Fatal(err)
	}
	byStranger, _ := pack.SignManifest(manifest, stranger)
	_, otherRaw := unsignedPack(t, gen+1)
	overOther, _ := pack.SignManifest(otherRaw, priv)
	refusals := []struct {
		name, sig, words string
	}{
		{"an unpinned key", string(byStranger.Sig), "không phải của khoá tỉnh"},
		{"another manifest", string(overOther.Sig), "không khớp với gói đang chờ"},
		{"a truncated file", string(good.Sig[:len(good.Sig)/2]), "bị hỏng hoặc không đầy đủ"},
		// The file beside manifest.sig, chosen by mistake (outside QA: it
		// read as a signature over another manifest).
		{"the manifest itself", string(manifest), "là manifest.json, không phải chữ ký"},
	}
	for _, r := range refusals {
		code, page := a.postFile("/admin/packs/pending/600", map[string]string{"csrf": token, "action": "sign", "stage": "everyone"},
			"sig", "manifest.sig", []byte(r.sig))
		if code != http.StatusBadRequest || !strings.Contains(page, r.words) || !strings.Contains(page, "Chưa phát hành gì; gói vẫn chờ ký.") {
			t.Fatalf("a signature by %s: %d %.4000s", r.name, code, page)
		}
		if got := published(t, h); len(got) != 0 {
			t.Fatalf("a signature by %s published %v", r.name, got)
		}
		if got := pendingGens(t, h); len(got) != 1 || got[0] != gen {
			t.Fatalf("after a signature by %s the pending packs are %v", r.name, got)
		}
	}

	code, page = a.postFile("/admin/packs/pending/600", map[string]string{"csrf": token, "action": "sign", "stage": "test"},
		"sig", "manifest.sig", good.Sig)
	if code != http.StatusOK || !strings.Contains(page, "Chữ ký hợp lệ: đã phát hành gói nội dung.") {
		t.Fatalf("the good signature: %d %.4000s", code, page)
	}
	rs, _ := h.Rollouts(ctx)
	if len(rs) != 1 || rs[0].Generation != gen || rs[0].Stage != StageTest || rs[0].PublishedBy != "tinh" {
		t.Fatalf("after signing, rollouts %+v", rs)
	}
	if got := pendingGens(t, h); len(got) != 0 {
		t.Fatalf("the published pack is still pending: %v", got)
	}
	// What was published is the pack `pack build` with the key makes of the
	// same folder and generation: its manifest and signature as stored, its
	// files from the blob store.
	var storedRaw, storedSig []byte
	if err := h.DB.QueryRowContext(ctx, `SELECT manifest, signatures FROM packs WHERE generation = $1`, gen).Scan(&storedRaw, &storedSig); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := h.attach(ctx, storedRaw, storedSig, &got); err != nil {
		t.Fatal(err)
	}
	if want := buildPack(t, gen, priv); !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("the published pack (%d bytes) is not the one pack.Build makes (%d bytes)", got.Len(), len(want))
	}

	// Every step is in the audit log.
	entries, err := h.Audit(ctx, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
	}
	for action, n := range map[string]int{"pack_unsigned_uploaded": 1, "pack_manifest_downloaded": 1,
		"pack_signature_refused": len(refusals), "pack_published": 1} {
		if count[action] != n {
			t.Errorf("audit log has %d %s, want %d (all: %v)", count[action], action, n, count)
		}
	}
	if _, log := a.get("/admin/audit"); !strings.Contains(log, "Chữ ký gói bị từ chối (chưa phát hành)") {
		t.Errorf("the audit page does not name the refusal in Vietnamese: %.3000s", log)
	}
}

// TestPendingPackRefusedAndDiscarded: a signed pack is not taken as an
// unsigned one, and a pending pack can be discarded.
func TestPendingPackRefusedAndDiscarded(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	code, page := a.postFile("/admin/packs/unsigned", map[string]string{"csrf": token}, "pack", "x.tspack", buildPack(t, 700, priv))
	if code != http.StatusBadRequest || !strings.Contains(page, "Gói này đã có chữ ký") || len(pendingGens(t, h)) != 0 {
		t.Fatalf("a signed pack uploaded as unsigned: %d %.3000s", code, page)
	}
	unsigned, _ := unsignedPack(t, 700)
	a.postFile("/admin/packs/unsigned", map[string]string{"csrf": token}, "pack", "x.tspack", unsigned)
	if got := pendingGens(t, h); len(got) != 1 {
		t.Fatalf("pending after upload: %v", got)
	}
	code, page = a.postFile("/admin/packs/pending/700", map[string]string{"csrf": token, "action": "discard"}, "sig", "", nil)
	if code != http.StatusOK || !strings.Contains(page, "Đã bỏ gói chờ ký.") || len(pendingGens(t, h)) != 0 || len(published(t, h)) != 0 {
		t.Fatalf("discard: %d, pending %v, published %v: %.3000s", code, pendingGens(t, h), published(t, h), page)
	}
	if code, _ := a.get("/admin/packs/pending/700/manifest.json"); code != http.StatusNotFound {
		t.Fatalf("the discarded pack's manifest: %d", code)
	}
}

// TestPendingPackSurvivesRestart: the pack waiting for its signature is in
// the database and the blob store, not in the hub's memory: a hub opened
// again on the same database publishes it.
func TestPendingPackSurvivesRestart(t *testing.T) {
	pub, priv := provinceKey(t)
	opts := Options{Dir: t.TempDir(), Database: testDatabase(t), ProvinceKeys: []ed25519.PublicKey{pub}}
	h, srv, stop := openHub(t, opts)
	a, token := signerSession(t, h, srv)
	unsigned, raw := unsignedPack(t, 800)
	if code, page := a.postFile("/admin/packs/unsigned", map[string]string{"csrf": token}, "pack", "x.tspack", unsigned); code != http.StatusOK {
		t.Fatalf("upload: %d %.3000s", code, page)
	}
	stop()

	h, srv, _ = openHub(t, opts)
	a = newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login after restart: %d", code)
	}
	token = a.csrf("/admin/packs")
	if _, page := a.get("/admin/packs"); !strings.Contains(page, pack.Digest(raw)) {
		t.Fatalf("the pending pack is gone after a restart: %.3000s", page)
	}
	sm, err := pack.SignManifest(raw, priv)
	if err != nil {
		t.Fatal(err)
	}
	code, page := a.postFile("/admin/packs/pending/800", map[string]string{"csrf": token, "action": "sign", "stage": "everyone"},
		"sig", "manifest.sig", sm.Sig)
	if got := published(t, h); code != http.StatusOK || len(got) != 1 || got[0] != 800 {
		t.Fatalf("signing after a restart: %d, published %v: %.3000s", code, got, page)
	}
}

// TestViewerCannotSign: a viewer sees no offline-signing forms and cannot
// upload, download the manifest, sign or discard.
func TestViewerCannotSign(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	unsigned, raw := unsignedPack(t, 900)
	a.postFile("/admin/packs/unsigned", map[string]string{"csrf": token}, "pack", "x.tspack", unsigned)
	if err := h.AddAdminUser(context.Background(), "xem", testPassword, RoleViewer); err != nil {
		t.Fatal(err)
	}
	v := newAdmin(t, srv)
	if code := v.login("xem", testPassword); code != http.StatusOK {
		t.Fatalf("viewer login: %d", code)
	}
	vtoken := v.csrf("/admin/packs")
	if _, page := v.get("/admin/packs"); strings.Contains(page, "/admin/packs/unsigned") || strings.Contains(page, "/admin/packs/pending/") {
		t.Fatalf("a viewer is offered the offline-signing forms: %.3000s", page)
	}
	if code, _ := v.get("/admin/packs/pending/900/manifest.json"); code != http.StatusForbidden {
		t.Fatalf("a viewer downloads the manifest: %d", code)
	}
	sm, _ := pack.SignManifest(raw, priv)
	for _, action := range []string{"sign", "discard"} {
		code, _ := v.postFile("/admin/packs/pending/900", map[string]string{"csrf": vtoken, "action": action, "stage": "everyone"},
			"sig", "manifest.sig", sm.Sig)
		if code != http.StatusForbidden || len(published(t, h)) != 0 || len(pendingGens(t, h)) != 1 {
			t.Fatalf("a viewer's %s: %d, published %v, pending %v", action, code, published(t, h), pendingGens(t, h))
		}
	}
	if code, _ := v.postFile("/admin/packs/unsigned", map[string]string{"csrf": vtoken}, "pack", "x.tspack", unsigned); code != http.StatusForbidden {
		t.Fatalf("a viewer uploads an unsigned pack: %d", code)
	}
}

// TestSignOnTheHub: a hub started with the key (--key) may sign a pending
// pack itself, when the province accepts that; a hub without it refuses.
func TestSignOnTheHub(t *testing.T) {
	pub, priv := provinceKey(t)
	for _, holds := range []bool{false, true} {
		opts := Options{ProvinceKeys: []ed25519.PublicKey{pub}}
		if holds {
			opts.SigningKey = priv
		}
		h, srv := startTestHub(t, opts)
		a, token := signerSession(t, h, srv)
		const gen = 610
		unsigned, _ := unsignedPack(t, gen)
		if _, err := h.StorePending(context.Background(), bytes.NewReader(unsigned), "tinh", false); err != nil {
			t.Fatal(err)
		}
		sign := url.Values{"csrf": {token}, "action": {"sign-here"}, "stage": {"everyone"}}
		code, body := a.post("/admin/packs/pending/610", sign, srv.URL)
		if holds {
			// To every kiosk at once: asked first, as a rollback is.
			if code != http.StatusOK || len(published(t, h)) != 0 || !strings.Contains(body, "Có, ký và gửi cho tất cả") ||
				!strings.Contains(body, `name="confirm" value="yes"`) {
				t.Fatalf("signing for everyone did not ask first: %d %v %.1500s", code, published(t, h), body)
			}
			sign.Set("confirm", "yes")
			code, body = a.post("/admin/packs/pending/610", sign, srv.URL)
		}
		switch {
		case holds && (code != http.StatusOK || !slices.Equal(published(t, h), []int64{gen})):
			t.Fatalf("signing on the hub: %d %v %.500s", code, published(t, h), body)
		case !holds && (code != http.StatusBadRequest || len(published(t, h)) != 0 || !slices.Equal(pendingGens(t, h), []int64{gen})):
			t.Fatalf("a hub without the key signed: %d %v", code, published(t, h))
		}
	}
}

// A refused upload says why in Vietnamese, and what to do, above the
// technical detail; nothing is published.
func TestUploadRefusalsSayWhy(t *testing.T) {
	pub, priv := provinceKey(t)
	_, stranger := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	if code, page := a.postFile("/admin/packs", map[string]string{"csrf": token, "stage": "test"}, "pack", "x.tspack", buildPack(t, 800, priv)); code != http.StatusOK {
		t.Fatalf("a good pack: %d %.2000s", code, page)
	}
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"another key", buildPack(t, 900, stranger), "khoá mà máy chủ không tin"},
		{"an older generation", buildPack(t, 700, priv), "không mới hơn gói đã phát hành"},
		{"not a pack", []byte("PK\x03\x04 not a pack"), "tệp gói bị hỏng"},
	} {
		code, page := a.postFile("/admin/packs", map[string]string{"csrf": token, "stage": "test"}, "pack", "x.tspack", c.file)
		if code != http.StatusBadRequest || !strings.Contains(page, "Không phát hành được gói này: ") || !strings.Contains(page, c.want) {
			t.Errorf("%s: %d, want a page saying %q: %.3000s", c.name, code, c.want, page)
		}
	}
	if got := published(t, h); len(got) != 1 || got[0] != 800 {
		t.Errorf("published %v, want only 800", got)
	}
}

// A pack waiting for its signature that a later publish overtook says so,
// and offers only to be discarded, before anyone carries it to the signer.
func TestOvertakenPendingPackSaysSo(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	unsigned, _ := unsignedPack(t, 700)
	if code, page := a.postFile("/admin/packs/unsigned", map[string]string{"csrf": token}, "pack", "x.tspack", unsigned); code != http.StatusOK {
		t.Fatalf("unsigned upload: %d %.2000s", code, page)
	}
	if _, page := a.get("/admin/packs"); strings.Contains(page, "pending-overtaken") || !strings.Contains(page, `value="sign"`) {
		t.Fatalf("a pending pack nothing overtook: %.3000s", page)
	}
	if _, err := h.Publish(context.Background(), bytes.NewReader(buildPack(t, 800, priv)), PublishOptions{Stage: StageTest, By: "test"}); err != nil {
		t.Fatal(err)
	}
	_, page := a.get("/admin/packs")
	if !strings.Contains(page, `data-testid="pending-overtaken"`) || !strings.Contains(page, "đã có gói thế hệ 800") ||
		strings.Contains(page, `value="sign"`) || !strings.Contains(page, `value="discard"`) {
		t.Fatalf("an overtaken pending pack: %.4000s", page)
	}
}
