package pack

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestVerify(t *testing.T) {
	raw := marshal(t, validManifest())
	signedBy := func(keys ...ed25519.PrivateKey) []byte {
		sig, err := Sign(raw, keys...)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	tampered := bytes.Replace(raw, []byte(`"generation":5`), []byte(`"generation": 6`), 1)
	forged, _ := json.Marshal(signatures{[]Signature{{KeyID: KeyID(pub(provinceKey)), Sig: bytes.Repeat([]byte{7}, 64)}}})
	wrongLen, _ := json.Marshal(signatures{[]Signature{{KeyID: KeyID(pub(provinceKey)), Sig: []byte{1, 2, 3}}}})
	tooMany, _ := json.Marshal(signatures{make([]Signature, maxSignatures+1)})
	cases := []struct {
		name     string
		manifest []byte
		sig      []byte
		keys     []ed25519.PublicKey
		want     Kind // "" = accepted
	}{
		{"good", raw, signedBy(provinceKey), pinned, ""},
		{"missing", raw, nil, pinned, KindMissingSignature},
		{"empty list", raw, []byte(`{"signatures":[]}`), pinned, KindMissingSignature},
		{"garbage", raw, []byte(`{"signatures":`), pinned, KindBadSignature},
		{"unknown field", raw, []byte(`{"signatures":[],"x":1}`), pinned, KindBadSignature},
		{"tampered manifest", tampered, signedBy(provinceKey), pinned, KindBadSignature},
		{"forged", raw, forged, pinned, KindBadSignature},
		{"wrong length", raw, wrongLen, pinned, KindBadSignature},
		{"unknown key", raw, signedBy(otherKey), pinned, KindUnknownKey},
		{"no pinned key", raw, signedBy(provinceKey), nil, KindUnknownKey},
		{"too many", raw, tooMany, pinned, KindTooLarge},
		{"oversized sig file", raw, append(signedBy(provinceKey), bytes.Repeat([]byte(" "), MaxSignaturesSize)...), pinned, KindTooLarge},
		{"oversized manifest", append(append([]byte{}, raw...), bytes.Repeat([]byte(" "), MaxManifestSize)...), signedBy(provinceKey), pinned, KindTooLarge},
		// Key rotation: during the overlap packs carry both signatures, and a
		// kiosk pinning either key (or both) accepts them.
		{"rotation, old pinned", raw, signedBy(provinceKey, otherKey), pinned, ""},
		{"rotation, new pinned", raw, signedBy(provinceKey, otherKey), []ed25519.PublicKey{pub(otherKey)}, ""},
		{"rotation, both pinned", raw, signedBy(otherKey), []ed25519.PublicKey{pub(provinceKey), pub(otherKey)}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sm, err := Verify(c.manifest, c.sig, c.keys)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if sm.Digest != Digest(c.manifest) || sm.Manifest.Generation != 5 {
					t.Fatalf("signed = %+v", sm)
				}
				return
			}
			if r, ok := AsRejection(err); !ok || r.Kind != c.want {
				t.Fatalf("err = %v, want a %s rejection", err, c.want)
			}
		})
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	keyPath, pubPath := filepath.Join(dir, "k"), filepath.Join(dir, "p")
	os.WriteFile(keyPath, []byte(EncodePrivateKey(provinceKey)), 0o600)
	os.WriteFile(pubPath, []byte(EncodePublicKey(pub(provinceKey))), 0o644)
	k, err := ReadPrivateKey(keyPath)
	if err != nil || !k.Equal(provinceKey) {
		t.Fatalf("ReadPrivateKey = %v, %v", k, err)
	}
	p, err := ReadPublicKey(pubPath)
	if err != nil || !p.Equal(pub(provinceKey)) {
		t.Fatalf("ReadPublicKey = %v, %v", p, err)
	}
	// A private key whose public half was swapped would sign for nobody.
	bad := append(append([]byte{}, provinceKey.Seed()...), pub(otherKey)...)
	os.WriteFile(keyPath, []byte(EncodePrivateKey(bad)), 0o600)
	if _, err := ReadPrivateKey(keyPath); err == nil {
		t.Fatal("mismatched private key accepted")
	}
	os.WriteFile(pubPath, []byte("not a key\n"), 0o644)
	if _, err := ReadPublicKey(pubPath); err == nil {
		t.Fatal("garbage public key accepted")
	}
}
