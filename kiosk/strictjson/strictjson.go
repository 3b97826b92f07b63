// Package strictjson decodes JSON that is signed or sent by a peer, refusing
// everything encoding/json quietly tolerates: a key given twice at any depth
// (Go keeps the last value, another reader may keep the first, so one signed
// document could mean two things), unknown fields, invalid UTF-8 and data
// after the value.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrDuplicateKey wraps a key that appears twice in one object.
var ErrDuplicateKey = errors.New("duplicate key")

// Unmarshal decodes data into v strictly.
func Unmarshal(data []byte, v any) error {
	if !utf8.Valid(data) {
		return errors.New("not UTF-8")
	}
	if err := CheckDuplicates(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// CheckDuplicates walks one JSON value and refuses an object that names a
// key twice. Keys are compared the way encoding/json matches them to struct
// fields (case-insensitively), since "generation" and "Generation" fill the
// same field.
func CheckDuplicates(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return walk(dec, "")
}

// walk consumes one value from dec; path names it in errors.
func walk(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, path)
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := walk(dec, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	return nil
}

func walkObject(dec *json.Decoder, path string) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		f := fold(key)
		if seen[f] {
			return fmt.Errorf("%w %q in %s", ErrDuplicateKey, key, orTop(path))
		}
		seen[f] = true
		if err := walk(dec, path+"."+key); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// fold is encoding/json's case folding for field names.
func fold(s string) string {
	return strings.Map(func(r rune) rune { return unicode.ToUpper(unicode.ToLower(r)) }, s)
}

func orTop(path string) string {
	if path == "" {
		return "the top-level object"
	}
	return strings.TrimPrefix(path, ".")
}

// Decode reads all of r and decodes it into v strictly. The caller bounds r
// (http.MaxBytesReader, io.LimitReader); its error comes back unwrapped, so
// errors.As still finds an *http.MaxBytesError.
func Decode(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return Unmarshal(data, v)
}
