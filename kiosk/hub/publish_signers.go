package hub

import (
	"cmp"
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
// Where only some kiosks in scope would refuse it, the pack is published and
// the same value, with Accepting above 0, is the warning (Refusers).
type UnpinnedSignersError struct {
	Signers []string // the ids of the hub's keys that signed the pack
	Pinned  []string // the ids the kiosks in scope pin, together
	Kiosks  int      // the kiosks in scope that said and will refuse it
	Names   []string // the first few of them, by name
	// Accepting: kiosks in scope that pin a key that signed it.
	Accepting int
}

func (e *UnpinnedSignersError) Error() string {
	return fmt.Sprintf("none of the %d kiosk(s) in this scope that said which province keys they pin (%s) pins a key that signed this pack (%s): "+
		"every one would refuse it. During a key rotation, sign with both keys until every kiosk pins the new one (README, \"Rotating the province key\")",
		e.Kiosks, strings.Join(e.Pinned, ", "), strings.Join(e.Signers, ", "))
}

// Warning says, for a pack published though some kiosks in its scope will
// refuse it, how many and why (review risk 6: it passed silently, and only
// the fleet page named them after).
func (e *UnpinnedSignersError) Warning() string {
	return fmt.Sprintf("%d of the %d kiosk(s) in this scope that said which province keys they pin will refuse this pack (%s): "+
		"they pin only %s, none of the keys that signed it (%s); the other %d take it. During a key rotation, sign with both keys "+
		"until every kiosk pins the new one, or pin the new key on those kiosks (README, \"Rotating the province key\")",
		e.Kiosks, e.Kiosks+e.Accepting, e.names(", "), strings.Join(e.Pinned, ", "), strings.Join(e.Signers, ", "), e.Accepting)
}

// maxNamed is how many refusing kiosks a message names.
const maxNamed = 5

// names lists the refusing kiosks named, and how many more.
func (e *UnpinnedSignersError) names(sep string) string {
	s := strings.Join(e.Names, sep)
	if n := e.Kiosks - len(e.Names); n > 0 {
		s += fmt.Sprintf(sep+"+%d", n)
	}
	return s
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
	e, err := h.pinScope(ctx, raw, sig, stage)
	if err != nil {
		return err
	}
	if e.Kiosks == 0 || e.Accepting > 0 {
		return nil
	}
	return e
}

// Refusers are the kiosks in stage's scope that will refuse the pack
// (manifest raw, signatures sig) though others there take it: nil when none
// will, or when none takes it (checkSigners's refusal).
func (h *Hub) Refusers(ctx context.Context, raw, sig []byte, stage int) (*UnpinnedSignersError, error) {
	e, err := h.pinScope(ctx, raw, sig, stage)
	if err != nil || e.Kiosks == 0 || e.Accepting == 0 {
		return nil, err
	}
	return e, nil
}

// pinScope sorts the kiosks in stage's scope that said which keys they pin
// into those that pin a key that signed the pack and those that pin none.
func (h *Hub) pinScope(ctx context.Context, raw, sig []byte, stage int) (*UnpinnedSignersError, error) {
	signers := h.signerIDs(raw, sig)
	devs, err := h.Devices(ctx)
	if err != nil {
		return nil, err
	}
	scope := rollout{stage: stage}
	e := &UnpinnedSignersError{Signers: signers}
	for _, d := range devs {
		if d.Revoked || !scope.reaches(d.Wave) || len(d.PinnedKeys) == 0 {
			continue
		}
		if slices.ContainsFunc(d.PinnedKeys, func(id string) bool { return slices.Contains(signers, id) }) {
			e.Accepting++
			continue
		}
		e.Kiosks++
		if len(e.Names) < maxNamed {
			e.Names = append(e.Names, cmp.Or(d.Name, d.ID))
		}
		for _, id := range d.PinnedKeys {
			if !slices.Contains(e.Pinned, id) {
				e.Pinned = append(e.Pinned, id)
			}
		}
	}
	slices.Sort(e.Pinned)
	return e, nil
}
