package search

// Ranking: which of the documents a query touched are shown, in what order.

import (
	"slices"
	"sort"
	"strings"
)

// cand is a document in the running for the results.
type cand struct {
	doc     int32
	matched int
	named   bool // a lesson named with a word of the query only lessons are named with
	// names marks the query words that spell a name of the document whole
	// (namesIn): "khai tử" in "khai tử để nhận lương hưu".
	names uint32
	score float32
}

// rank orders candidates by how many query words they match, then by score;
// the best few count the words that spell a name of theirs whole twice more,
// and are re-scored for the phrase typed appearing whole in a field (the
// obvious answer: "khai sinh" → Đăng ký khai sinh). Words are the query's
// words as the index most likely knows them; typed, as they were typed; soft
// marks the qualifiers (and the words of the elsewhere phrases found), lost
// the words that match nothing.
func (ix *Index) rank(sc *scratch, words, typed []string, soft, lost uint32, elsewhere []string, lang string) Answer {
	touched, scores := sc.touched, sc.scores
	all := sc.cands[:0]
	for _, d := range touched {
		// Qualifiers alone find nothing.
		if m := scores[d].weight(soft); m > 0 {
			all = append(all, cand{doc: d, matched: m, score: scores[d].score})
		}
	}
	sc.cands = all[:0] // keep the grown buffer for the next query
	cands := all
	better := func(a, b cand) bool {
		if a.matched != b.matched {
			return a.matched > b.matched
		}
		if a.named != b.named {
			return a.named
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.doc < b.doc
	}
	ix.markNamed(cands, words, typed)
	phrase := strings.Join(words, " ")
	// Elsewhere phrases are never results; typed whole, they may be the answer.
	cands = slices.DeleteFunc(cands, func(c cand) bool { return ix.docs[c.doc].Kind == KindElsewhere })
	cands = topK(cands, rerankTop, better)
	for i := range cands {
		cands[i].names = ix.namesIn(cands[i].doc, words, elsewhere)
	}
	// Typed whole, with nothing the pack covers named beside it, an
	// elsewhere phrase is the answer: "gia hạn hộ chiếu" matches "hạn" and
	// "hộ" of other items, however many such words it matches.
	if len(elsewhere) > 0 && !slices.ContainsFunc(cands, func(c cand) bool { return c.named || c.names != 0 }) {
		return Answer{Elsewhere: true}
	}
	// hard is the phrase without the qualifiers ("khai sinh" of "khai sinh
	// muon") and the words that match nothing, a slip left unmended: "ket
	// hun" is scored as "ket", which Đăng ký kết hôn is named with more
	// plainly than the copies of a marriage extract.
	hard := phrase
	if soft|lost != 0 {
		var kept []string
		for i, w := range words {
			if (soft|lost)&(1<<i) == 0 {
				kept = append(kept, w)
			}
		}
		hard = strings.Join(kept, " ")
	}
	for i := range cands {
		c := &cands[i]
		// A name typed whole outweighs words matched here and there:
		// "khai tử để nhận lương hưu" is a death registration, which the
		// recognition of a parent outmatches word for word ("khai", "để",
		// "nhận"). A slip mended does not spell a name ("kết hộn").
		c.matched += 2 * popcount(c.names&^(soft|lost|scores[c.doc].typo))
		b := ix.phraseBonus(c.doc, phrase)
		if hard != phrase {
			b = max(b, ix.phraseBonus(c.doc, hard))
		}
		c.score += b
	}
	if soft != 0 {
		refine(cands, scores)
	}
	sort.Slice(cands, func(i, j int) bool { return better(cands[i], cands[j]) })
	cands = relevant(cands, func(c cand) (int, float32) { return c.matched, c.score })
	cands = ix.eventsAfterProcedures(cands)
	if len(cands) > maxResults {
		cands = cands[:maxResults]
	}
	out := make([]Result, len(cands))
	for i, c := range cands {
		doc := &ix.docs[c.doc]
		out[i] = Result{Kind: doc.Kind, ID: doc.ID, Code: doc.Code, Title: doc.Titles[lang]}
		if out[i].Title == "" {
			out[i].Title, out[i].Fallback = doc.Titles["vi"], []string{"title"}
		}
	}
	return Answer{Results: out}
}

// namesIn marks the words that spell, whole, a name of doc of two words or
// more (a title, official name, alias or search.yaml phrase): "sao y" in
// "sao y giấy phép lái xe" names certified copies. A qualifier phrase names
// nothing, nor does a name inside one of the elsewhere phrases found.
func (ix *Index) namesIn(doc int32, words, elsewhere []string) uint32 {
	var mask uint32
	r := ix.docField[doc]
	for _, f := range ix.fields[r[0]:r[1]] {
		if f.weight < WeightName || len(f.words) < 2 {
			continue
		}
		m := phraseMask(words, f.words, f.joined)
		if m == 0 || ix.qualifierPhrase[f.folded] || slices.ContainsFunc(elsewhere, func(e string) bool { return containsWords(e, f.folded) }) {
			continue
		}
		mask |= m
	}
	return mask
}

// markNamed marks the lessons whose title holds a word of the query that
// names only lessons: "vneid" answers with the VNeID lessons before the
// procedure that mentions VNeID, when both match as many words. Only a word
// typed as the title spells it counts: "ông" guessed as a slip for "công"
// must not put the portal lesson above "ông tôi qua đời".
func (ix *Index) markNamed(cands []cand, words, typed []string) {
	var titled map[int32]bool
	for i, w := range words {
		if w != typed[i] || !ix.lessonNames[w] {
			continue
		}
		if titled == nil {
			titled = map[int32]bool{}
		}
		for _, p := range ix.post[w] {
			if p.weight == WeightTitle {
				titled[p.doc] = true
			}
		}
	}
	if titled == nil {
		return
	}
	for i := range cands {
		cands[i].named = titled[cands[i].doc]
	}
}

// refineShare is how close to the best a candidate must be for qualifiers
// to reorder it.
const refineShare = 0.6

// refine adds the qualifiers' scores to the candidates the other words found
// best ("khai sinh muộn": the birth registration's late case), so they order
// those without lifting one the other words found less well — matching fewer
// of them, or well under the best (death registration, which has a late case
// too).
func refine(cands []cand, scores []docScore) {
	var top int
	var best float32
	for _, c := range cands {
		if c.matched > top || c.matched == top && c.score > best {
			top, best = c.matched, c.score
		}
	}
	for i, c := range cands {
		if c.matched == top && c.score >= refineShare*best {
			cands[i].score += scores[c.doc].refine
		}
	}
}

// eventsAfterProcedures moves a life event ranked above the first of its
// procedures found to just after it: "kết hôn" answers with the procedure,
// then offers the life event. A life event none of whose procedures were
// found stays where it ranked.
func (ix *Index) eventsAfterProcedures(cands []cand) []cand {
	out := make([]cand, 0, len(cands))
	var waiting []cand // life events waiting for one of their procedures
	for i, c := range cands {
		doc := &ix.docs[c.doc]
		if len(doc.Groups) > 0 && !ix.groupFound(doc.Groups, out) && ix.groupFound(doc.Groups, cands[i+1:]) {
			waiting = append(waiting, c)
			continue
		}
		out = append(out, c)
		if doc.Kind != KindProcedure {
			continue
		}
		kept := waiting[:0]
		for _, w := range waiting {
			if slices.Contains(ix.docs[w.doc].Groups, doc.ID) {
				out = append(out, w)
			} else {
				kept = append(kept, w)
			}
		}
		waiting = kept
	}
	return append(out, waiting...)
}

// groupFound reports whether one of the procedures codes is among cands.
func (ix *Index) groupFound(codes []string, cands []cand) bool {
	for _, c := range cands {
		if d := &ix.docs[c.doc]; d.Kind == KindProcedure && slices.Contains(codes, d.ID) {
			return true
		}
	}
	return false
}

// relevant drops the long tail behind the best hit (sorted best first): hits
// matching less than half the words it matched, or scoring under a quarter of
// it. A resident reads every line; one stray word is no reason to list an item.
// It filters rather than cuts at the first weak hit: a hit that matches more
// words, each faintly, ranks above one that matches fewer by name, and must
// not take it away ("bố tôi mất": the life event after the procedure).
func relevant[T any](sorted []T, key func(T) (int, float32)) []T {
	if len(sorted) == 0 {
		return sorted
	}
	bestMatched, bestScore := key(sorted[0])
	return slices.DeleteFunc(sorted, func(c T) bool {
		m, s := key(c)
		return 2*m < bestMatched || 4*s < bestScore
	})
}

// topK returns the k best of xs, best first, without sorting them all: a
// common word can touch every document of a large catalogue.
func topK[T any](xs []T, k int, better func(a, b T) bool) []T {
	if len(xs) <= k {
		sort.Slice(xs, func(i, j int) bool { return better(xs[i], xs[j]) })
		return xs
	}
	// A min-heap (worst at the root) of the best k seen so far.
	h := append([]T(nil), xs[:k]...)
	down := func(i int) {
		for {
			w, l, r := i, 2*i+1, 2*i+2
			if l < k && better(h[w], h[l]) {
				w = l
			}
			if r < k && better(h[w], h[r]) {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, x := range xs[k:] {
		if better(x, h[0]) {
			h[0] = x
			down(0)
		}
	}
	sort.Slice(h, func(i, j int) bool { return better(h[i], h[j]) })
	return h
}

// phraseBonus rewards a field that is the typed phrase, or holds it whole,
// the more so the less else the field says; and a field the phrase holds
// whole ("mất" in "mẹ mất"), the more so the more of the phrase it is.
// Spaces are ignored when the phrase was typed without them.
func (ix *Index) phraseBonus(doc int32, phrase string) float32 {
	var best float32
	joined := strings.ReplaceAll(phrase, " ", "")
	r := ix.docField[doc]
	for _, f := range ix.fields[r[0]:r[1]] {
		var b float32
		switch {
		case f.folded == phrase || f.joined == joined:
			b = 3 * f.weight
		case containsWords(f.folded, phrase) || strings.Contains(f.joined, joined):
			b = 2 * f.weight * float32(len(joined)) / float32(len(f.joined))
		case len(f.folded) < len(phrase) && containsWords(phrase, f.folded):
			b = 2 * f.weight * float32(len(f.joined)) / float32(len(joined))
		}
		if b > best {
			best = b
		}
	}
	return best
}

// containsWords reports whether phrase occurs in s on word boundaries.
func containsWords(s, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], phrase)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(phrase)
		if (at == 0 || s[at-1] == ' ') && (end == len(s) || s[end] == ' ') {
			return true
		}
		i = at + 1
	}
}

func popcount(x uint32) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
