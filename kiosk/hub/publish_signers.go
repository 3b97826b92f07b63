package hub

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"tramso/kiosk/pack"
)

// UnpinnedSignersError refuses a pack that every kiosk in its scope would
// refuse: each kiosk there that said which province keys it pins pins none
// of the keys that signed it. Typically a key rotation's new key alone
// signed it before the kiosks pinned that key (outside QA s24, finding 2:
// published to everyone, refused by all, and each kiosk's page then sent
// staff to visit it with pin-key, where signing with both keys was the fix).
type UnpinnedSignersError struct {
	Signers []string // the ids of the hub's keys that signed the pack
	Pinned  []string // the ids the kiosks in scope pin, together
	Kiosks  int      // the kiosks in scope that said
}

func (e *UnpinnedSignersError) Error() string {
	return fmt.Sprintf("none of the %d kiosk(s) in this scope that said which province keys they pin (%s) pins a key that signed this pack (%s): "+
		"every one would refuse it. During a key rotation, sign with both keys until every kiosk pins the new one (README, \"Rotating the province key\")",
		e.Kiosks, strings.Join(e.Pinned, ", "), strings.Join(e.Signers, ", "))
}

// signerIDs are the keys that signed raw: those the hub pins whose
// signature verifies, and those it does not pin that sig names, which it
// cannot check and so does not hold against the pack (a kiosk pinning one
// checks it itself).
func (h *Hub) signerIDs(raw, sig []byte) []string {
	ids := h.verifiedBy(raw, sig)
	pinned := pack.KeyIDs(h.opts.ProvinceKeys)
	for _, id := range pack.SignatureKeyIDs(sig) {
		if !slices.Contains(pinned, id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// checkSigners refuses a pack (manifest raw, signatures sig) when no kiosk in stage's scope that said its
// pinned keys pins one that signed it. Kiosks that have not said (an older
// release) are not counted either way; a scope where none said passes.
func (h *Hub) checkSigners(ctx context.Context, raw, sig []byte, stage int) error {
	signers := h.signerIDs(raw, sig)
	devs, err := h.Devices(ctx)
	if err != nil {
		return err
	}
	scope := rollout{stage: stage}
	e := &UnpinnedSignersError{Signers: signers}
	for _, d := range devs {
		if d.Revoked || !scope.reaches(d.Wave) || len(d.PinnedKeys) == 0 {
			continue
		}
		if slices.ContainsFunc(d.PinnedKeys, func(id string) bool { return slices.Contains(signers, id) }) {
			return nil
		}
		e.Kiosks++
		for _, id := range d.PinnedKeys {
			if !slices.Contains(e.Pinned, id) {
				e.Pinned = append(e.Pinned, id)
			}
		}
	}
	if e.Kiosks == 0 {
		return nil
	}
	slices.Sort(e.Pinned)
	return e
}
