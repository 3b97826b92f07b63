package pack

import (
	"errors"
	"fmt"
)

// Kind names why a pack was refused. The values are stable: staff mode and the
// hub show and count them.
type Kind string

// Rejection kinds.
const (
	KindMissingSignature Kind = "missing_signature"    // no signature at all
	KindBadSignature     Kind = "bad_signature"        // a pinned key's signature does not verify
	KindUnknownKey       Kind = "unknown_key"          // signed only by keys this kiosk does not pin
	KindBadManifest      Kind = "bad_manifest"         // not a valid manifest
	KindUnknownSchema    Kind = "unknown_schema"       // a format or content schema this kiosk does not read
	KindBadPath          Kind = "bad_path"             // a file path that could escape or clash
	KindTooLarge         Kind = "too_large"            // over a size or count limit
	KindNotNewer         Kind = "not_newer"            // rollback or replay: generation ≤ highest applied
	KindConflict         Kind = "conflicting_manifest" // another manifest was seen for this generation
	KindHashMismatch     Kind = "hash_mismatch"        // a file's sha256 is not the manifest's
	KindSizeMismatch     Kind = "size_mismatch"        // a file's size is not the manifest's
	KindBadContent       Kind = "bad_content"          // the files do not load as content
	KindBadPackFile      Kind = "bad_pack_file"        // the pack file's container is malformed
	KindMissingFile      Kind = "missing_file"         // a file the manifest lists is not in the pack
	// KindNotApplied is no refusal: a USB pack the kiosk could not apply for
	// a reason of its own (a full disk). It is listed for staff beside the
	// refusals, and never reported to the hub as the pack's fault.
	KindNotApplied Kind = "not_applied"
)

// Rejection is why a pack was refused. Every refusal of this package is one,
// so callers can log it, show it to staff and report it to the hub.
type Rejection struct {
	Kind       Kind
	Generation int64 // 0 when not known (before the signature was checked)
	Detail     string
}

func (r *Rejection) Error() string {
	if r.Generation > 0 {
		return fmt.Sprintf("pack generation %d refused (%s): %s", r.Generation, r.Kind, r.Detail)
	}
	return fmt.Sprintf("pack refused (%s): %s", r.Kind, r.Detail)
}

func reject(kind Kind, gen int64, format string, args ...any) *Rejection {
	return &Rejection{Kind: kind, Generation: gen, Detail: fmt.Sprintf(format, args...)}
}

// AsRejection returns the rejection inside err, if there is one.
func AsRejection(err error) (*Rejection, bool) {
	var r *Rejection
	ok := errors.As(err, &r)
	return r, ok
}

// withGeneration fills in the generation once it is known.
func withGeneration(err error, gen int64) error {
	if r, ok := AsRejection(err); ok && r.Generation == 0 {
		c := *r
		c.Generation = gen
		return &c
	}
	return err
}
