package pack

import (
	"archive/tar"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
)

// SignManifest is the offline half of publishing (`tramso pack sign`): it
// checks that raw is a manifest kiosks accept, then signs it with every key
// (two during a key rotation). The result carries the parsed manifest, for
// the signer to see what they sign, and the manifest.sig bytes.
func SignManifest(raw []byte, keys ...ed25519.PrivateKey) (*Signed, error) {
	if len(keys) == 0 {
		return nil, errors.New("sign manifest: no key")
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("sign manifest: kiosks would refuse it: %w", err)
	}
	return signParsed(m, raw, keys)
}

// signParsed signs a manifest already parsed from raw.
func signParsed(m *Manifest, raw []byte, keys []ed25519.PrivateKey) (*Signed, error) {
	sig, err := Sign(raw, keys...)
	if err != nil {
		return nil, err
	}
	first := keys[0].Public().(ed25519.PublicKey)
	return &Signed{Manifest: m, Raw: raw, Sig: sig, KeyID: KeyID(first), Digest: Digest(raw)}, nil
}

// Attach puts a signature made offline into the unsigned pack BuildUnsigned
// wrote, and writes the signed pack to w: byte for byte the pack Build makes
// of the same folder and generation. The signature must verify under one of
// keys, over this very manifest; a signature by another key, over another
// manifest or cut short is refused (a *Rejection), as is a blob that is not
// the manifest's. On error w holds a partial pack: write to a temporary file.
func Attach(unsigned io.Reader, sig []byte, keys []ed25519.PublicKey, w io.Writer) (*Signed, error) {
	tr := newPackTar(unsigned)
	raw, err := readMember(tr, manifestName, MaxManifestSize)
	if err != nil {
		return nil, fmt.Errorf("attach signature: the unsigned pack: %w", err)
	}
	sm, err := Verify(raw, sig, keys)
	if err != nil {
		return nil, fmt.Errorf("attach signature to the pack with manifest sha256 %s: %w", Digest(raw), err)
	}
	blobs := &tarBlobs{tr: tr, gen: sm.Manifest.Generation}
	if err := writePack(w, sm.Manifest, raw, sig, blobs.open, "attach signature: the unsigned pack's %s is not the manifest's: %w"); err != nil {
		return nil, err
	}
	hdr, err := tr.Next()
	if errors.Is(err, errCutShort) {
		return nil, reject(KindBadPackFile, blobs.gen, "the unsigned pack: %v", err)
	}
	if !errors.Is(err, io.EOF) {
		name := ""
		if hdr != nil {
			name = hdr.Name
		}
		return nil, reject(KindBadPackFile, blobs.gen, "the unsigned pack goes on after its last blob (%q, %v)", name, err)
	}
	return sm, nil
}

// tarBlobs reads an unsigned pack's blobs in the order BuildUnsigned wrote
// them, which is the order Attach writes them in.
type tarBlobs struct {
	tr  *packTar
	gen int64
}

func (b *tarBlobs) open(f File) (io.ReadCloser, error) {
	hdr, err := b.tr.Next()
	switch {
	case errors.Is(err, io.EOF):
		return nil, reject(KindMissingFile, b.gen, "the unsigned pack lacks %s (%s)", f.Path, f.SHA256)
	case err != nil:
		return nil, reject(KindBadPackFile, b.gen, "read the unsigned pack: %v", err)
	case hdr.Name == signatureName:
		return nil, reject(KindBadPackFile, b.gen, "the pack already holds a %s: attach to the pack `pack build` wrote without --key", signatureName)
	case hdr.Name != blobPrefix+f.SHA256 || hdr.Typeflag != tar.TypeReg:
		return nil, reject(KindBadPackFile, b.gen, "the unsigned pack has %q where %s%s (%s) belongs", hdr.Name, blobPrefix, f.SHA256, f.Path)
	case hdr.Size != f.Size:
		return nil, reject(KindSizeMismatch, b.gen, "%s is %d bytes in the unsigned pack, the manifest says %d", f.Path, hdr.Size, f.Size)
	}
	return io.NopCloser(tarBody{b.tr, b.gen}), nil
}
