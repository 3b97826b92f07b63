package config

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"
)

// MaxProvinceKeys is the most keys hub.province_keys may pin: a rotation
// needs two; more is a mistake, and the hub is told at most this many
// (hubproto.MaxPinnedKeys), so a longer list would hide keys from it.
const MaxProvinceKeys = 16

// ParseKey decodes a province public key as written in province.pub or in
// hub.province_keys: standard base64 of the 32-byte ed25519 key.
func ParseKey(s string) (ed25519.PublicKey, error) {
	// A byte-order mark is what Windows Notepad puts before a file it saves.
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	if err != nil {
		return nil, fmt.Errorf("not base64: %v", err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("is %d bytes, an ed25519 public key is %d", len(raw), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}

func checkKey(s string) error {
	_, err := ParseKey(s)
	return err
}

// Keys returns the pinned province keys, decoded. Validate has checked them.
func (c *Config) Keys() []ed25519.PublicKey {
	var keys []ed25519.PublicKey
	for _, k := range c.Hub.ProvinceKeys {
		if pk, err := ParseKey(k); err == nil {
			keys = append(keys, pk)
		}
	}
	return keys
}
