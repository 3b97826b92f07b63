package pack

import (
	"archive/tar"
	"cmp"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
)

// BuildOptions are the choices of `tramso pack build`.
type BuildOptions struct {
	// Generation of the pack; 0 means the build time in unix seconds, so that
	// a later build is newer than an earlier one and than the starter (1).
	Generation int64
	Keys       []ed25519.PrivateKey // Build: every key signs (two during a key rotation)
	Now        time.Time            // the clock for the default generation; zero means time.Now()
	// Title names this pack in its manifest (fleet pages, the staff panel),
	// instead of pack.yaml's title, which names the content and stays the
	// same from pack to pack: "Lệ phí khai sinh quá hạn; bài QR".
	Title string
}

// Build lints the source folder, then writes a signed pack file to w. Lint
// problems are returned as content.Problems. The files go in unchanged: the
// pack's generation is the signed manifest's, whatever pack.yaml says, so a
// rebuild transfers only the files that really changed.
//
// A pack is a function of the folder's files, the generation and the title
// alone, so BuildUnsigned, SignManifest and Attach of the same folder,
// generation and title give the very same bytes: the key can sign on another
// machine.
func Build(src fs.FS, opts BuildOptions, w io.Writer) (*Signed, error) {
	if len(opts.Keys) == 0 {
		return nil, errors.New("build pack: no key to sign with (BuildUnsigned makes a pack to sign elsewhere)")
	}
	m, raw, err := compose(src, opts)
	if err != nil {
		return nil, err
	}
	sm, err := signParsed(m, raw, opts.Keys)
	if err != nil {
		return nil, err
	}
	if err := writePack(w, m, raw, sm.Sig, sourceBlobs(src), "%s changed during the build: %w"); err != nil {
		return nil, err
	}
	return sm, nil
}

// BuildUnsigned lints the source folder and writes the pack without its
// signature to w: manifest.json, then the blobs. It returns manifest.json
// exactly as it is to be signed (SignManifest, `tramso pack sign` on the
// machine that holds the key); Attach then makes the pack Build would have
// made. Kiosks refuse an unsigned pack ("the pack file has no manifest.sig").
func BuildUnsigned(src fs.FS, opts BuildOptions, w io.Writer) ([]byte, error) {
	if len(opts.Keys) > 0 {
		return nil, errors.New("build unsigned pack: keys given; use Build to sign in one go")
	}
	m, raw, err := compose(src, opts)
	if err != nil {
		return nil, err
	}
	if err := writePack(w, m, raw, nil, sourceBlobs(src), "%s changed during the build: %w"); err != nil {
		return nil, err
	}
	return raw, nil
}

// compose lints src and makes its manifest: the parsed manifest, exactly as
// a kiosk reads it, and its bytes.
func compose(src fs.FS, opts BuildOptions) (*Manifest, []byte, error) {
	gen, err := buildGeneration(opts)
	if err != nil {
		return nil, nil, err
	}
	files, probs := sourceFiles(src)
	loaded, lint := content.Inspect(src) // advice too: a new pack meets every rule
	probs = append(probs, lint...)
	if len(probs) > 0 {
		return nil, nil, probs
	}
	// Created is the time the generation stands for, not the clock: with the
	// default generation they are the same second, and a rebuild of the same
	// folder and generation (on the hub, or by a team that keeps its content
	// in git) gives the same manifest and so the same signature.
	m := &Manifest{Format: FormatName, Schema: FormatVersion, ContentSchema: content.SchemaVersion,
		Generation: gen, Created: time.Unix(gen, 0).UTC(), Title: hubproto.Clip(cmp.Or(strings.TrimSpace(opts.Title), loaded.Meta.Title), MaxTitleLen)}
	for _, sf := range files {
		f, err := hashSource(src, sf.path)
		if err != nil {
			return nil, nil, err
		}
		m.Files = append(m.Files, f)
	}
	raw, err := m.Marshal()
	if err != nil {
		return nil, nil, err
	}
	// Parse what will be signed, exactly as a kiosk will: a build never
	// produces a pack that kiosks refuse for its manifest.
	if m, err = ParseManifest(raw); err != nil {
		return nil, nil, fmt.Errorf("build produced a manifest kiosks would refuse: %w", err)
	}
	return m, raw, nil
}

// firstClockYear is the first year a build machine's clock can be right:
// an earlier clock was never set.
const firstClockYear = 2025

// BuiltAt is when a manifest's pack was built, as far as anyone can know:
// a default generation is its build time, but one given by hand
// (`--generation 4101`) stands for no time, and its Created reads as
// 1970; ok is false then.
func BuiltAt(created time.Time) (at time.Time, ok bool) {
	return created, created.Year() >= firstClockYear
}

// MaxAhead is how far past its machine's clock a new generation may stand.
// Kiosks only take a higher generation, so one built under a clock set years
// ahead makes them refuse every normally built pack until that date; a day
// leaves room for time zones and a clock a little fast, no more.
const MaxAhead = 24 * time.Hour

// AheadError is a generation that, read as unix seconds, stands more than
// MaxAhead past the clock of the machine that checked it. Its text is for
// province staff; each command adds how to say the generation is meant.
type AheadError struct {
	Generation int64
	Now        time.Time
}

func (e *AheadError) Error() string {
	const day = "02/01/2006"
	return fmt.Sprintf("thế hệ %d ứng với ngày %s, đi trước đồng hồ của máy này (%s) hơn 1 ngày: "+
		"kiosk nào nhận gói này sẽ từ chối mọi gói dựng bình thường cho đến ngày đó. "+
		"Kiểm tra đồng hồ của máy dựng gói và của máy này, rồi dựng lại gói với thế hệ mặc định (giờ dựng)",
		e.Generation, time.Unix(e.Generation, 0).UTC().Format(day), e.Now.UTC().Format(day))
}

// CheckAhead returns an *AheadError when gen stands more than MaxAhead past
// now, unless it merely continues base, the highest generation already
// there (0 for none): once a high generation is out, every next one must be
// higher still, and refusing those would only stop the fleet's updates.
func CheckAhead(gen, base int64, now time.Time) error {
	if gen <= max(now.Unix(), base)+int64(MaxAhead/time.Second) {
		return nil
	}
	return &AheadError{Generation: gen, Now: now}
}

func buildGeneration(opts BuildOptions) (int64, error) {
	gen := opts.Generation
	if gen == 0 {
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		// A build machine whose clock was never set would make packs every
		// kiosk refuses as older than what it has; say so instead.
		if now.Year() < firstClockYear {
			return 0, fmt.Errorf("this machine's clock says %s: set the clock, or give the generation explicitly", now.Format(time.DateOnly))
		}
		gen = now.Unix()
	}
	if err := CheckGeneration(gen); err != nil {
		return 0, fmt.Errorf("build pack: %w", err)
	}
	return gen, nil
}

func hashSource(src fs.FS, name string) (File, error) {
	r, err := src.Open(name)
	if err != nil {
		return File{}, err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return File{}, fmt.Errorf("read %s: %w", name, err)
	}
	if n > MaxFileSize {
		return File{}, fmt.Errorf("%s: larger than %d bytes", name, MaxFileSize)
	}
	return File{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// blobSource opens each blob of a pack, called in Manifest.Blobs order.
type blobSource func(f File) (io.ReadCloser, error)

func sourceBlobs(src fs.FS) blobSource {
	return func(f File) (io.ReadCloser, error) { return src.Open(f.Path) }
}

// writePack writes a pack file: manifest.json, manifest.sig (left out when
// sig is nil: an unsigned pack), then each distinct blob in Manifest.Blobs
// order. Every header is a function of the manifest, so the same manifest
// and files give the same bytes. mismatch formats a blob whose bytes are not
// the manifest's (its path and the rejection).
func writePack(w io.Writer, m *Manifest, raw, sig []byte, open blobSource, mismatch string) error {
	tw := tar.NewWriter(w)
	mtime := m.Created.UTC().Truncate(time.Second)
	add := func(name string, size int64, body io.Reader) error {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := io.Copy(tw, body)
		return err
	}
	if err := add(manifestName, int64(len(raw)), strings.NewReader(string(raw))); err != nil {
		return err
	}
	if sig != nil {
		if err := add(signatureName, int64(len(sig)), strings.NewReader(string(sig))); err != nil {
			return err
		}
	}
	for _, f := range m.Blobs() {
		r, err := open(f)
		if err != nil {
			return err
		}
		// The bytes are hashed again as they are written: a file edited during
		// the build fails it instead of shipping a pack every kiosk refuses.
		v := &verifyingReader{r: io.LimitReader(r, f.Size+1), f: f, h: sha256.New()}
		err = add(blobPrefix+f.SHA256, f.Size, v)
		r.Close()
		if _, bad := AsRejection(err); bad {
			return fmt.Errorf(mismatch, f.Path, err)
		}
		if err != nil {
			return err
		}
	}
	return tw.Close()
}
