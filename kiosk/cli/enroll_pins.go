package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/sys/unix"

	"tramso/kiosk/config"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// Trust never comes from the network: a hub's enrollment answer names keys,
// and the kiosk pins only those whose ids the province gave out of band
// (--key-id, or a person comparing them on the terminal). Re-enrolling never
// widens the pinned keys or moves the kiosk to another hub (enroll_hubs.go)
// unless --replace says so.

// pinned is what a kiosk trusts now: its hubs and its config's keys.
type pinned struct {
	hubs []string // config.Hub.Addresses
	keys []string // base64, as hub.province_keys holds them
	// unwritten: the config names no hub; hubs is the stored enrollment's,
	// and enrolling writes it into the config
	unwritten bool
}

// pinPlan is what an enrollment will pin, and how that differs from before.
type pinPlan struct {
	keys                          []string // hub.province_keys afterwards
	added, kept, dropped, ignored []string // key ids
	hubFrom, hubTo                []string // the hub addresses before and after
	hubUnwritten                  bool     // the config named no hub before (pinned.unwritten)
	confirmed                     []string // the offered keys the province's ids (or a person) confirmed
}

// normalKeyIDs reads key ids as people give them: read out over the phone
// in groups ("3F9A 0C12 …") or copied in capitals.
func normalKeyIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.ToLower(strings.NewReplacer(" ", "", "-", "", ":", "").Replace(id))
	}
	return out
}

func checkKeyIDs(ids []string) error {
	for _, id := range ids {
		if !hubproto.IsKeyID(id) {
			return usagef("--key-id %q is not a key id (16 lowercase hex digits, as `tramso keygen` prints it)", id)
		}
	}
	return nil
}

// isTerminal reports whether r is a terminal a person types at; tests
// replace it to answer the confirmation.
var isTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && terminal(f)
}

// terminal reports whether f is a terminal. Being a character device is not
// enough: /dev/null is one too, and a script run with it as input would be
// asked a question nobody can answer.
func terminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// planPins decides what to pin from the hub's answer (offered keys, and the
// addresses to write: enrollRequest.addresses), refusing anything that would
// widen trust without --replace.
func planPins(env *Env, now pinned, hubs []string, offered []string, req enrollRequest) (pinPlan, error) {
	var p pinPlan
	if err := p.planHubs(now, hubs, req); err != nil {
		return p, err
	}
	return p, p.planKeys(env, now, offered, req)
}

// planHubs sets the hub addresses the plan writes.
func (p *pinPlan) planHubs(now pinned, hubs []string, req enrollRequest) error {
	p.hubFrom, p.hubTo, p.hubUnwritten = now.hubs, hubs, now.unwritten
	switch {
	case movesHub(now.hubs, hubs) && !req.replace:
		return fmt.Errorf("the hub answered with the address %s, not %s that this kiosk uses; run with --replace "+
			"if the province moved its hub", strings.Join(hubs, ", "), strings.Join(now.hubs, ", "))
	case len(now.hubs) > 1 && !req.replace:
		p.hubTo = now.hubs // enrolling through some of its hubs keeps the others
	}
	return nil
}

// planKeys confirms the offered keys (confirmKeys) and sets the keys the
// plan pins. Enrollment runs it before the code is spent, on the keys the
// hub offers (hubproto.Keys), so that a wrong id or a "no" costs nothing.
func (p *pinPlan) planKeys(env *Env, now pinned, offered []string, req enrollRequest) error {
	accepted, err := confirmKeys(env, offered, req.keyIDs)
	if err != nil {
		return err
	}
	p.confirmed = accepted
	for _, k := range offered {
		if !slices.Contains(accepted, k) {
			p.ignored = append(p.ignored, keyID(k))
		}
	}
	for _, k := range accepted {
		if slices.Contains(now.keys, k) {
			p.kept = append(p.kept, keyID(k))
		} else {
			p.added = append(p.added, keyID(k))
		}
	}
	switch {
	case req.replace:
		p.keys = accepted
		for _, k := range now.keys {
			if !slices.Contains(accepted, k) {
				p.dropped = append(p.dropped, keyID(k))
			}
		}
	case len(now.keys) > 0 && len(p.added) > 0:
		return fmt.Errorf("this kiosk pins key(s) %s; the hub's key(s) %s would be added next to them. "+
			"A key rotation adds keys with `tramso pin-key` (see the README, \"Rotating the province key\"); "+
			"to replace the pinned keys by the confirmed ones, run with --replace", ids(now.keys), strings.Join(p.added, ", "))
	case len(now.keys) > 0:
		p.keys = now.keys
	default:
		p.keys = accepted
	}
	return nil
}

// answersAsOffered checks that an enrollment's answer names every key the
// plan pins: the keys were confirmed from the hub's offer before the code
// was spent, and the answer must not differ from that offer where it counts.
func (p pinPlan) answersAsOffered(answered []string) error {
	for _, k := range p.confirmed {
		if !slices.Contains(answered, k) {
			return fmt.Errorf("the hub offered key id %s before enrolling, but its enrollment answer does not name it "+
				"(the province's hubs pin different keys?); no key was pinned", keyID(k))
		}
	}
	return nil
}

// confirmKeys returns the offered keys the province's ids confirm: all of
// the ids must be among the offered keys (else this may not be the
// province's hub). Without ids a person confirms on the terminal.
func confirmKeys(env *Env, offered, wantIDs []string) ([]string, error) {
	if len(wantIDs) > 0 {
		var out []string
		for _, id := range wantIDs {
			i := slices.IndexFunc(offered, func(k string) bool { return keyID(k) == id })
			if i < 0 {
				return nil, unofferedKeyID{offered, id}
			}
			if !slices.Contains(out, offered[i]) {
				out = append(out, offered[i])
			}
		}
		return out, nil
	}
	if !askToPin(env, "The hub offers %d province key(s):\n", "this hub", offered) {
		return nil, errors.New("the keys were not confirmed, so none was pinned")
	}
	return offered, nil
}

// unofferedKeyID: the province gave a key id the hub does not offer.
type unofferedKeyID struct {
	offered []string
	id      string
}

func (e unofferedKeyID) Error() string {
	return fmt.Sprintf("the hub offers key(s) %s, not the key id %s the province gave: "+
		"this may not be the province's hub, and no key was pinned", ids(e.offered), e.id)
}

// askToPin lists keys by id under heading (a format taking their count) and
// asks the person at the terminal to compare them with the id the province
// gave out of band, not with what came from source.
func askToPin(env *Env, heading, source string, keys []string) bool {
	fmt.Fprintf(env.Stdout, heading, len(keys))
	for _, k := range keys {
		fmt.Fprintf(env.Stdout, "  key id %s\n", keyID(k))
	}
	fmt.Fprintf(env.Stdout, "Compare them with the key id the province gave you (on paper, by phone; not from %s).\n"+
		"Pin these keys on this kiosk? [y/N] ", source)
	answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "y" || a == "yes"
}

// keyID is the id of a key as hub.province_keys holds it.
func keyID(k string) string {
	pub, err := config.ParseKey(k)
	if err != nil {
		return "(not a key)"
	}
	return pack.KeyID(pub)
}

func ids(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = keyID(k)
	}
	return strings.Join(out, ", ")
}

// changes reports whether the plan changes the config.
func (p pinPlan) changes() bool {
	return len(p.added) > 0 || len(p.dropped) > 0 || !p.sameHubs() || p.hubUnwritten
}

// sameHubs reports whether the plan leaves the kiosk's hubs as they were.
func (p pinPlan) sameHubs() bool {
	return len(p.hubFrom) == len(p.hubTo) && !movesHub(p.hubFrom, p.hubTo)
}

// describe says what the enrollment changed.
func (p pinPlan) describe(w io.Writer) {
	field, from, to := "hub.url: ", strings.Join(p.hubFrom, ", "), strings.Join(p.hubTo, ", ")
	if len(p.hubTo) > 1 {
		field = "hub.urls:"
	}
	switch {
	case len(p.hubFrom) == 0 || p.hubUnwritten && p.sameHubs():
		fmt.Fprintf(w, "  %s      set to %s\n", field, to)
	case !p.sameHubs():
		fmt.Fprintf(w, "  %s      MOVED from %s to %s\n", field, from, to)
	default:
		fmt.Fprintf(w, "  %s      unchanged (%s)\n", field, from)
	}
	for _, l := range []struct {
		what string
		ids  []string
	}{{"newly pinned", p.added}, {"still pinned", p.kept}, {"REMOVED", p.dropped}, {"offered, not confirmed, not pinned", p.ignored}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(w, "  key ids %s: %s\n", l.what, strings.Join(l.ids, ", "))
		}
	}
}
