package search

import (
	"slices"
	"sort"
	"strings"
)

// A query is read the way a resident types it on the kiosk's touch keyboard:
// words run together ("dangkykhaisinh"), a letter pressed twice ("sinhh"),
// and the keys someone used to Telex or VNI on their phone types out of habit
// where nothing composes them (the kiosk's letter keys, a physical keyboard):
// "ddawng kys", "sinhf", "khai sinh2". A word the index does not know is rewritten into the
// word(s) it knows; a known word is always taken as typed, so a correct query
// is never second-guessed.

// maxJoined bounds the joined words split apart (bytes, folded), which keeps
// the split cheap and stops long nonsense from being read as words.
const maxJoined = 32

// prepare folds a query into the words to search for, each as the index
// knows it where a slip can be undone, and marks the qualifiers. tones[i]
// is words[i] as typed with its tones, when it has some and was taken as
// typed ("" otherwise: no tones, or a word mended into another).
func (ix *Index) prepare(query string) (words, tones []string, soft uint32) {
	raw, typed := tokens(query), toneWords(query)
	if len(typed) != len(raw) {
		typed = make([]string, len(raw)) // cannot happen: the two split alike
	}
	raw, typed = ix.rejoin(raw, typed)
	if len(raw) > maxQueryWords {
		raw = raw[:maxQueryWords]
	}
	for i, w := range raw {
		last := i == len(raw)-1
		mended := ix.mend(w, last)
		words = append(words, mended...)
		for _, m := range mended {
			tone := ""
			if m == w && toned(typed[i]) {
				tone = typed[i]
			}
			tones = append(tones, tone)
		}
	}
	if len(words) > maxQueryWords {
		words, tones = words[:maxQueryWords], tones[:maxQueryWords]
	}
	ix.mendInPairs(words, tones)
	return words, tones, ix.qualifierMask(words, tones)
}

// mendInPairs undoes a slip that made another word: "ket hong" is "kết
// hôn" with a g too many, though "hong" (hỏng) is a word of the pack. A word
// is taken as meant otherwise only beside a neighbour it never stands next
// to anywhere in the pack, and only when one slip undone makes the two
// neighbours in a name ("ket"+"hon"). Two words the pack has side by side
// are never second-guessed, nor is a word typed with its marks.
func (ix *Index) mendInPairs(words, tones []string) {
	for i := 0; i+1 < len(words); i++ {
		a, b := words[i], words[i+1]
		if ix.known(a+b) || !ix.known(a) || !ix.known(b) {
			continue
		}
		// The later word first: a slip is likelier at the end of a phrase typed.
		if tones[i+1] == "" {
			if w := ix.pairedSlip(b, func(v string) string { return a + v }); w != "" {
				words[i+1] = w
				continue
			}
		}
		if tones[i] == "" {
			if w := ix.pairedSlip(a, func(v string) string { return v + b }); w != "" {
				words[i] = w
			}
		}
	}
}

// pairedSlip is the word one slip away from w that makes, by pair(v), two
// neighbours of a name (a title, official name or alias: "kết hôn"), the
// one in the most names; "" when none does. Words merely beside each other
// in a description are no evidence ("giả danh" is not "gia cảnh"). As in
// expand, one wrong letter in a word of three makes another word ("chu" is
// not "cho"): those, and qualifier words, are never taken for slips.
func (ix *Index) pairedSlip(w string, pair func(v string) string) string {
	if len(w) < 4 || ix.qualifierWord[w] {
		return ""
	}
	best, n := "", 0
	for _, v := range ix.slips(w) {
		c := 0
		for _, p := range ix.post[pair(v)] {
			if p.weight >= WeightName {
				c++
			}
		}
		if c > n {
			best, n = v, c
		}
	}
	return best
}

// rejoin puts back together a word split by a space typed inside it, "vn
// eid" for "vneid": two neighbours that make a word of the index when one
// of them is none.
func (ix *Index) rejoin(raw, typed []string) ([]string, []string) {
	for i := 0; i+1 < len(raw); i++ {
		if whole := raw[i] + raw[i+1]; (!ix.known(raw[i]) || !ix.known(raw[i+1])) && ix.plain(whole) {
			raw = slices.Concat(raw[:i], []string{whole}, raw[i+2:])
			typed = slices.Concat(typed[:i], []string{typed[i] + typed[i+1]}, typed[i+2:])
		}
	}
	return raw, typed
}

// mend returns w, or the known word(s) it stands for.
func (ix *Index) mend(w string, last bool) []string {
	if ix.known(w) || ix.qualifierWord[w] {
		return []string{w}
	}
	if last && ix.startsWord(w) {
		return []string{w} // still being typed
	}
	for _, c := range [...]string{squeeze(w), untelex(w), squeeze(untelex(w))} {
		if c != w && ix.known(c) {
			return []string{c}
		}
	}
	if parts := ix.split(w); parts != nil {
		return parts
	}
	return []string{w}
}

// known reports whether w is a word of some document (or two neighbouring
// words written together).
func (ix *Index) known(w string) bool {
	_, ok := ix.post[w]
	return ok
}

// startsWord reports whether some index word begins with w.
func (ix *Index) startsWord(w string) bool {
	i := sort.SearchStrings(ix.vocab, w)
	return i < len(ix.vocab) && strings.HasPrefix(ix.vocab[i], w)
}

// squeeze collapses a letter typed twice or more: "sinhh" → "sinh".
func squeeze(w string) string {
	b := []byte(w)
	out := b[:0:0]
	for i, c := range b {
		if i == 0 || c != b[i-1] {
			out = append(out, c)
		}
	}
	return string(out)
}

// untelex undoes Telex and VNI keys left in a folded word: the letter
// doubled or followed by w for a vowel mark (aa, aw, ee, oo, ow, uw, dd), a
// tone key at the end (s f r x j), and VNI's mark digits inside a word.
// "ddawng" → "dang", "sinhf" → "sinh", "tuwr" → "tu", "tu73" → "tu".
func untelex(w string) string {
	if allDigits(w) {
		return w // a code or a number, not a word
	}
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= '1' && c <= '9' {
			continue // VNI mark key
		}
		if i+1 < len(w) {
			n := w[i+1]
			if (n == c && strings.IndexByte("adeo", c) >= 0) || (n == 'w' && strings.IndexByte("aou", c) >= 0) {
				b.WriteByte(c)
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	s := b.String()
	if len(s) > 2 && strings.IndexByte("sfrxj", s[len(s)-1]) >= 0 && isVowelOrFinal(s[len(s)-2]) {
		s = s[:len(s)-1]
	}
	return s
}

// isVowelOrFinal reports whether a Vietnamese syllable may end in c (a vowel,
// or the last letter of c, ch, m, n, ng, nh, p, t), so a tone key after it is
// a leftover rather than part of the word.
func isVowelOrFinal(c byte) bool {
	return strings.IndexByte("aeiouycghmnpt", c) >= 0
}

func allDigits(w string) bool {
	for i := range len(w) {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// split reads w as known words written without spaces, in as few words as
// possible ("dangkikhaisinh" → dang ki khai sinh), or returns nil.
func (ix *Index) split(w string) []string {
	n := len(w)
	if n < 4 || n > maxJoined {
		return nil
	}
	// best[i] is the fewest words that spell w[:i]; from[i] where the last starts.
	var best, from [maxJoined + 1]int
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := 0; j < i; j++ {
			if best[j] < 0 || !ix.plain(w[j:i]) {
				continue
			}
			if c := best[j] + 1; best[i] < 0 || c < best[i] {
				best[i], from[i] = c, j
			}
		}
	}
	if best[n] < 2 {
		return nil
	}
	parts := make([]string, best[n])
	for i, k := n, best[n]-1; i > 0; i, k = from[i], k-1 {
		parts[k] = w[from[i]:i]
	}
	return parts
}

// plain reports whether w is a word as written in some document.
func (ix *Index) plain(w string) bool {
	i := sort.SearchStrings(ix.vocab, w)
	return i < len(ix.vocab) && ix.vocab[i] == w
}

// qualifier is a phrase that narrows a search: its words folded, and as
// their marks spell them.
type qualifier struct {
	words, marks []string
	// apart: a name in the pack is the folded phrase with other marks
	// (markQualifiersApart), so typed without marks it may be that name.
	apart bool
	// beside: the neighbours of the phrase where a longer name spells it
	// with other marks ("hoc" before "ba", of "học bạ").
	beside []beside
}

// beside is the word before and the word after a phrase in a name ("" for
// none).
type beside struct{ before, after string }

// apartIn reports whether the phrase, typed without marks where mask marks
// it in words (around word at), may be another word of the pack: always
// when a name is that word alone, else when a neighbour in the query is its
// neighbour in a name ("cong chung hoc ba", but not "ba toi mat").
func (q *qualifier) apartIn(words []string, mask uint32, at int) bool {
	if q.apart {
		return true
	}
	i, j := at, at+1
	for i > 0 && mask&(1<<(i-1)) != 0 {
		i--
	}
	for j < len(words) && mask&(1<<j) != 0 {
		j++
	}
	for _, c := range q.beside {
		if c.before != "" && i > 0 && words[i-1] == c.before || c.after != "" && j < len(words) && words[j] == c.after {
			return true
		}
	}
	return false
}

// qualifierMask marks the words that belong to a qualifier phrase typed
// whole ("cho con", "muộn"). When every word is a qualifier none is: "cho
// con" alone still searches. Marks typed count, as they do for words: "để"
// is a qualifier, "đẻ" (give birth) is not; typed without marks, "de" is
// not taken as the qualifier, since the pack also says "đẻ", nor "ba" next
// to "hoc" (of "học bạ"). tones are the
// words as typed with their marks ("" for none: prepare).
func (ix *Index) qualifierMask(words, tones []string) uint32 {
	var soft uint32
	for _, q := range ix.qualifiers {
		m := phraseMask(words, q.words, strings.Join(q.words, ""))
		for i := range words {
			if m&(1<<i) == 0 {
				continue
			}
			if tones[i] != "" && !slices.Contains(q.marks, tones[i]) || tones[i] == "" && q.apartIn(words, m, i) {
				m = 0 // another word that folds alike
				break
			}
		}
		soft |= m
	}
	if soft == 1<<len(words)-1 {
		return 0
	}
	return soft
}

// elsewhereIn finds the elsewhere phrases among words (as the index most
// likely knows them: "hộ chiu" is "hộ chiếu"): a bit for each word that
// belongs to one, and the phrases found.
func (ix *Index) elsewhereIn(words []string) (mask uint32, found []string) {
	for _, p := range ix.elsewhere {
		if m := phraseMask(words, p, strings.Join(p, "")); m != 0 {
			mask |= m
			found = append(found, strings.Join(p, " "))
		}
	}
	return mask, found
}

// phraseMask marks every place phrase occurs among words: a bit for each
// word it covers, written word by word or run together in one ("banglai",
// which the index knows as two neighbours); joined is the phrase's words
// without spaces.
func phraseMask(words, phrase []string, joined string) uint32 {
	var mask uint32
	for i := range words {
		switch {
		case i+len(phrase) <= len(words) && equalWords(words[i:i+len(phrase)], phrase):
			for k := range len(phrase) {
				mask |= 1 << (i + k)
			}
		case len(phrase) > 1 && words[i] == joined:
			mask |= 1 << i
		}
	}
	return mask
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
