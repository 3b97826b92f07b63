package pack

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"tramso/kiosk/config"
	"tramso/kiosk/strictjson"
)

// signingContext separates manifest signatures from anything else the
// province key might ever sign.
const signingContext = "tramso-pack-manifest-v1\n"

// Signature is one key's signature over a manifest.
type Signature struct {
	KeyID string `json:"keyid"`
	Sig   []byte `json:"sig"` // base64 in JSON
}

// signatures is the manifest.sig file.
type signatures struct {
	Signatures []Signature `json:"signatures"`
}

// maxSignatures bounds how many signatures a kiosk tries.
const maxSignatures = 8

// Signed is a manifest whose signature has been verified against a pinned key.
type Signed struct {
	Manifest *Manifest
	Raw      []byte // manifest.json exactly as signed: send these bytes, never re-encode
	Sig      []byte // manifest.sig
	KeyID    string // the pinned key that verified it
	Digest   string // sha256 of Raw, hex: identifies the manifest
}

// KeyID names a public key: the first 16 hex digits of its sha256. It only
// picks which pinned key to try; the signature check itself uses the key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// KeyIDs are the ids of keys, in their order.
func KeyIDs(keys []ed25519.PublicKey) []string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = KeyID(k)
	}
	return ids
}

// Digest is the hex sha256 of a manifest's bytes.
func Digest(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Sign signs manifest bytes with every key (more than one during a key
// rotation) and returns the manifest.sig file.
func Sign(raw []byte, keys ...ed25519.PrivateKey) ([]byte, error) {
	if len(keys) == 0 {
		return nil, errors.New("sign manifest: no key")
	}
	var s signatures
	msg := append([]byte(signingContext), raw...)
	for _, k := range keys {
		pub := k.Public().(ed25519.PublicKey)
		s.Signatures = append(s.Signatures, Signature{KeyID: KeyID(pub), Sig: ed25519.Sign(k, msg)})
	}
	out, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Verify checks that a pinned key signed raw, then parses the manifest. The
// signature is checked first, so nothing unauthenticated is parsed further
// than the small signature file. Every error is a *Rejection.
func Verify(raw, sig []byte, keys []ed25519.PublicKey) (*Signed, error) {
	sigs, err := parseSignatures(sig)
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxManifestSize {
		return nil, reject(KindTooLarge, 0, "manifest is %d bytes, the limit is %d", len(raw), MaxManifestSize)
	}
	keyID, err := verifySignatures(raw, sigs, keys)
	if err != nil && len(keys) == 0 {
		// A kiosk that pins no key cannot tell the province's pack from any
		// other, so its refusal names the generation the manifest claims:
		// staff then see it settled once that generation is installed with
		// the key pinned (outside QA s26: "generation 0", red for good).
		// The number is all that is taken from an unverified manifest.
		if m, perr := ParseManifest(raw); perr == nil {
			err = withGeneration(err, m.Generation)
		}
	}
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	return &Signed{Manifest: m, Raw: raw, Sig: sig, KeyID: keyID, Digest: Digest(raw)}, nil
}

// SignatureKeyIDs are the key ids manifest.sig's entries name, verified or
// not (nil when it does not parse): a hub that does not hold a key can
// still tell which keys a pack claims, without trusting the claim.
func SignatureKeyIDs(sig []byte) []string {
	sigs, err := parseSignatures(sig)
	if err != nil {
		return nil
	}
	ids := make([]string, len(sigs))
	for i, s := range sigs {
		ids[i] = s.KeyID
	}
	return ids
}

func parseSignatures(sig []byte) ([]Signature, error) {
	if len(bytes.TrimSpace(sig)) == 0 {
		return nil, reject(KindMissingSignature, 0, "the manifest is not signed")
	}
	if len(sig) > MaxSignaturesSize {
		return nil, reject(KindTooLarge, 0, "signature file is %d bytes, the limit is %d", len(sig), MaxSignaturesSize)
	}
	var s signatures
	if err := strictjson.Unmarshal(sig, &s); err != nil {
		return nil, reject(KindBadSignature, 0, "signature file is not valid: %v", err)
	}
	switch {
	case len(s.Signatures) == 0:
		return nil, reject(KindMissingSignature, 0, "the signature file holds no signature")
	case len(s.Signatures) > maxSignatures:
		return nil, reject(KindTooLarge, 0, "%d signatures, the limit is %d", len(s.Signatures), maxSignatures)
	}
	return s.Signatures, nil
}

// NoKeyDetail is the detail of an unknown_key refusal by a kiosk that pins
// no province key at all: the kiosk had not been given the key, which says
// nothing about who signed the pack (StaffRejection.NoKeyPinned).
const NoKeyDetail = "this kiosk pins no province key (hub.province_keys)"

// verifySignatures accepts when one signature by a pinned key verifies: during
// a key rotation a manifest carries signatures by the old and the new key, and
// each kiosk pins at least one of them.
func verifySignatures(raw []byte, sigs []Signature, keys []ed25519.PublicKey) (string, error) {
	if len(keys) == 0 {
		return "", reject(KindUnknownKey, 0, "%s", NoKeyDetail)
	}
	msg := append([]byte(signingContext), raw...)
	pinned := make(map[string]ed25519.PublicKey, len(keys))
	for _, k := range keys {
		pinned[KeyID(k)] = k
	}
	badID := ""
	for _, s := range sigs {
		k, ok := pinned[s.KeyID]
		if !ok {
			continue
		}
		if len(s.Sig) == ed25519.SignatureSize && ed25519.Verify(k, msg, s.Sig) {
			return s.KeyID, nil
		}
		badID = s.KeyID
	}
	if badID != "" {
		return "", reject(KindBadSignature, 0, "the signature by key %s does not verify: the manifest was changed or the signature forged", badID)
	}
	ids := make([]string, len(sigs))
	for i, s := range sigs {
		ids[i] = fmt.Sprintf("%.32q", s.KeyID)
	}
	return "", reject(KindUnknownKey, 0, "signed by key(s) %s, none of which is pinned", strings.Join(ids, ", "))
}

// ReadPublicKeys reads a province public key file holding one key per line
// (blank lines and lines starting with # skipped): a hub's DATA/province.pub
// holds both keys during a rotation, so that every hub command reads them.
func ReadPublicKeys(path string) ([]ed25519.PublicKey, error) {
	b, err := readSmall(path)
	if err != nil {
		return nil, err
	}
	var keys []ed25519.PublicKey
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := config.ParseKey(line)
		if err != nil {
			return nil, fmt.Errorf("public key %s, line %d: %v", path, i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("public key %s: holds no key", path)
	}
	return keys, nil
}

// ReadPublicKey reads a province.pub file (base64 of the ed25519 public key).
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := readSmall(path)
	if err != nil {
		return nil, err
	}
	k, err := config.ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("public key %s: %v", path, err)
	}
	return k, nil
}

// ReadPrivateKey reads a province.key file written by `tramso keygen`.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := readSmall(path)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("private key %s: not base64: %v", path, err)
	}
	switch len(raw) {
	case ed25519.PublicKeySize:
		// `tramso keygen` writes the 64-byte form only; 32 bytes is the
		// public key's size, and a public key taken for a seed signs as a
		// key no kiosk knows.
		return nil, fmt.Errorf("private key %s: 32 bytes, the size of a public key (province.pub): give the private key file `tramso keygen` wrote (province.key)", path)
	case ed25519.PrivateKeySize:
		k := ed25519.PrivateKey(raw)
		// The stored public half must match the seed, or signatures would fail on every kiosk.
		if !bytes.Equal(ed25519.NewKeyFromSeed(k.Seed()), k) {
			return nil, fmt.Errorf("private key %s: public half does not match the seed", path)
		}
		return k, nil
	}
	return nil, fmt.Errorf("private key %s: %d bytes, want an ed25519 key (%d)", path, len(raw), ed25519.PrivateKeySize)
}

// CheckPinned says whether k signs as one of the pinned province keys: a
// pack it signed would otherwise be refused by every kiosk (unknown_key).
func CheckPinned(k ed25519.PrivateKey, pinned []ed25519.PublicKey) error {
	pub := k.Public().(ed25519.PublicKey)
	var ids []string
	for _, p := range pinned {
		if pub.Equal(p) {
			return nil
		}
		ids = append(ids, KeyID(p))
	}
	return fmt.Errorf("the signing key %s is not a pinned province key (%s): kiosks would refuse what it signs", KeyID(pub), strings.Join(ids, ", "))
}

// EncodePrivateKey and EncodePublicKey give the one-line file forms.
func EncodePrivateKey(k ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(k) + "\n"
}

// EncodePublicKey is the form of province.pub and of hub.province_keys entries.
func EncodePublicKey(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) + "\n" }

func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}
