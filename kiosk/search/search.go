// Package search is the kiosk's one search box over procedures and tutorials.
// It matches what residents type — with or without Vietnamese diacritics, with
// the i/y and kí/ký spelling variants, small typos, the everyday names of a
// procedure (aliases) and the words of life events — and ranks the obvious
// answer first. An index is built once per content pack and reused.
package search

import (
	"math"
	"sort"
	"strings"
	"sync"
)

// Kinds of results.
const (
	KindProcedure = "procedure"
	KindTutorial  = "tutorial"
)

// Result is one hit, in the shape GET /api/search answers (an interface other
// tools rely on).
type Result struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Code  string `json:"code,omitempty"`
	Title string `json:"title"`
}

// Field weights: how much a match in each part of a document counts.
const (
	WeightTitle   = 10 // the plain name residents read
	WeightName    = 8  // the official name
	WeightAlias   = 9  // what residents call it
	WeightCode    = 10 // the national code
	WeightEvent   = 6  // a life event's words
	WeightField   = 1  // the lĩnh vực or lesson module (its title lists examples)
	WeightSummary = 2  // one-line descriptions
)

// Doc is one searchable item.
type Doc struct {
	Kind   string
	ID     string
	Code   string
	Titles map[string]string // by language; "vi" is the fallback
	Fields []Field
}

// Field is one text of a document and how much it counts.
type Field struct {
	Text   string
	Weight float32
}

// posting says a word occurs in a document, with the weight of the best
// field it occurs in.
type posting struct {
	doc    int32
	weight float32
}

// field is a folded field kept for phrase scoring of the best candidates.
type field struct {
	folded string // words joined by single spaces
	joined string // words joined with no space, for "khaisinh"
	weight float32
}

// Index answers queries over a fixed set of documents. It is safe for
// concurrent use.
type Index struct {
	docs     []Doc
	fields   []field
	docField [][2]int32 // per doc: first field, end
	post     map[string][]posting
	idf      map[string]float32
	vocab    []string            // sorted, for prefix matches
	deletes  map[string][]string // one-letter deletions → words, for typos
	scratch  sync.Pool
}

// New builds an index. Documents are kept in the order given, which breaks
// ties in ranking.
func New(docs []Doc) *Index {
	ix := &Index{docs: docs, post: map[string][]posting{}, idf: map[string]float32{}, deletes: map[string][]string{}}
	df := map[string]int{}
	plain := map[string]bool{}   // words as written, not joined neighbours
	seen := map[string]float32{} // per document: word → best field weight
	for d, doc := range docs {
		start := int32(len(ix.fields))
		clear(seen)
		for _, f := range doc.Fields {
			words := tokens(f.Text)
			if len(words) == 0 {
				continue
			}
			ix.fields = append(ix.fields, field{folded: strings.Join(words, " "), joined: strings.Join(words, ""), weight: f.Weight})
			for _, w := range words {
				plain[w] = true
			}
			terms := words
			// Joined neighbours let "khaisinh" find "khai sinh".
			for i := 0; i+1 < len(words); i++ {
				terms = append(terms, words[i]+words[i+1])
			}
			for _, w := range terms {
				if best, ok := seen[w]; ok {
					if f.Weight > best {
						seen[w] = f.Weight
					}
					continue
				}
				seen[w] = f.Weight
				df[w]++
			}
		}
		for w, weight := range seen {
			ix.post[w] = append(ix.post[w], posting{doc: int32(d), weight: weight})
		}
		ix.docField = append(ix.docField, [2]int32{start, int32(len(ix.fields))})
	}
	n := float64(len(docs))
	for w, c := range df {
		ix.idf[w] = float32(math.Log(1 + n/float64(c)))
		if !plain[w] {
			continue // joined neighbours match only when typed exactly
		}
		ix.vocab = append(ix.vocab, w)
		if len(w) >= 3 {
			for _, del := range deletions(w) {
				ix.deletes[del] = append(ix.deletes[del], w)
			}
		}
	}
	sort.Strings(ix.vocab)
	ix.scratch.New = func() any { return &scratch{scores: make([]docScore, len(docs)), best: make([]float32, len(docs))} }
	return ix
}

// Len is the number of documents.
func (ix *Index) Len() int { return len(ix.docs) }

// scratch is one query's working memory, pooled: dense per-document arrays
// are cheaper than maps at catalogue sizes.
type scratch struct {
	scores  []docScore
	best    []float32 // best score of the current query word per document
	touched []int32   // documents with a score
	word    []int32   // documents with a best for the current word
	cands   []cand    // ranking buffer
}

type docScore struct {
	score   float32
	matched uint32 // bit per query word matched
}

// match is one index word standing for a query word, and how well.
type match struct {
	word    string
	quality float32
}

// Match qualities: an exact word beats the start of a word (still being
// typed), which beats a word one typo away.
const (
	qualityExact  = 1.0
	qualityPrefix = 0.75
	qualityTypo   = 0.6
	maxExpansions = 24 // prefix and typo candidates per query word
	maxQueryWords = 12
	maxResults    = 20
	rerankTop     = 60
)

// expand lists the index words a query word may stand for.
func (ix *Index) expand(q string, last bool) []match {
	out := make([]match, 0, 8)
	add := func(w string, quality float32) {
		if len(out) >= maxExpansions {
			return
		}
		for _, m := range out {
			if m.word == w {
				return
			}
		}
		out = append(out, match{w, quality})
	}
	_, exact := ix.post[q]
	if exact {
		add(q, qualityExact)
	}
	// Prefixes: the last word may be unfinished; earlier ones only when long
	// enough to mean something.
	if last || len(q) >= 4 {
		// One or two letters start too many words to mean much: a few do.
		limit := maxExpansions
		if len(q) <= 2 {
			limit = 8
		}
		i := sort.SearchStrings(ix.vocab, q)
		for n := 0; i < len(ix.vocab) && n < limit && strings.HasPrefix(ix.vocab[i], q); i, n = i+1, n+1 {
			add(ix.vocab[i], qualityPrefix)
		}
	}
	if len(q) >= 3 && !exact {
		// A typo: the word with a letter missing, extra, wrong or swapped.
		for _, w := range ix.deletes[q] {
			add(w, qualityTypo) // the query lacks a letter
		}
		for _, del := range deletions(q) {
			if _, ok := ix.post[del]; ok && len(del) >= 3 {
				add(del, qualityTypo) // the query has an extra letter
			}
			for _, w := range ix.deletes[del] {
				if osa1(q, w) {
					add(w, qualityTypo)
				}
			}
		}
	}
	return out
}

// Search returns the best documents for query, best first, titled in lang.
func (ix *Index) Search(query, lang string) []Result {
	words := tokens(query)
	if len(words) == 0 || len(ix.docs) == 0 {
		return nil
	}
	if len(words) > maxQueryWords {
		words = words[:maxQueryWords]
	}
	sc := ix.scratch.Get().(*scratch)
	defer func() {
		for _, d := range sc.touched {
			sc.scores[d] = docScore{}
		}
		sc.touched = sc.touched[:0]
		ix.scratch.Put(sc)
	}()
	scores, best := sc.scores, sc.best
	meant := make([]string, len(words)) // each word as the index knows it, for phrase scoring
	for qi, q := range words {
		expansions := ix.expand(q, qi == len(words)-1)
		meant[qi] = ix.likeliest(q, expansions)
		exactIDF, exact := ix.idf[q]
		for _, m := range expansions {
			idf := ix.idf[m.word]
			if exact && idf > exactIDF {
				idf = exactIDF // a rarer longer word must not outrank the word typed
			}
			for _, p := range ix.post[m.word] {
				s := p.weight * m.quality * idf
				if best[p.doc] == 0 {
					sc.word = append(sc.word, p.doc)
				}
				if s > best[p.doc] {
					best[p.doc] = s
				}
			}
		}
		for _, d := range sc.word {
			if scores[d].matched == 0 {
				sc.touched = append(sc.touched, d)
			}
			scores[d].score += best[d]
			scores[d].matched |= 1 << qi
			best[d] = 0
		}
		sc.word = sc.word[:0]
	}
	return ix.rank(sc, meant, lang)
}

// likeliest is what a query word most probably meant: itself when the index
// knows it, else its most common one-typo neighbour (prefixes are still being
// typed and stay as they are).
func (ix *Index) likeliest(q string, ms []match) string {
	best, n := q, 0
	for _, m := range ms {
		if m.quality == qualityExact {
			return q
		}
		if c := len(ix.post[m.word]); m.quality == qualityTypo && c > n {
			best, n = m.word, c
		}
	}
	return best
}

// rank orders candidates by how many query words they match, then by score;
// the best few are re-scored for the phrase typed appearing whole in a field
// (the obvious answer: "khai sinh" → Đăng ký khai sinh).
// cand is a document in the running for the results.
type cand struct {
	doc     int32
	matched int
	score   float32
}

func (ix *Index) rank(sc *scratch, words []string, lang string) []Result {
	touched, scores := sc.touched, sc.scores
	all := sc.cands[:0]
	for _, d := range touched {
		all = append(all, cand{d, popcount(scores[d].matched), scores[d].score})
	}
	sc.cands = all[:0] // keep the grown buffer for the next query
	cands := all
	better := func(a, b cand) bool {
		if a.matched != b.matched {
			return a.matched > b.matched
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.doc < b.doc
	}
	cands = topK(cands, rerankTop, better)
	phrase := strings.Join(words, " ")
	for i := range cands {
		cands[i].score += ix.phraseBonus(cands[i].doc, phrase)
	}
	sort.Slice(cands, func(i, j int) bool { return better(cands[i], cands[j]) })
	cands = relevant(cands, func(c cand) (int, float32) { return c.matched, c.score })
	if len(cands) > maxResults {
		cands = cands[:maxResults]
	}
	out := make([]Result, len(cands))
	for i, c := range cands {
		doc := &ix.docs[c.doc]
		title := doc.Titles[lang]
		if title == "" {
			title = doc.Titles["vi"]
		}
		out[i] = Result{Kind: doc.Kind, ID: doc.ID, Code: doc.Code, Title: title}
	}
	return out
}

// relevant drops the long tail behind the best hit (sorted best first): hits
// matching less than half the words it matched, or scoring under a quarter of
// it. A resident reads every line; one stray word is no reason to list an item.
func relevant[T any](sorted []T, key func(T) (int, float32)) []T {
	if len(sorted) == 0 {
		return sorted
	}
	bestMatched, bestScore := key(sorted[0])
	for i, c := range sorted {
		m, s := key(c)
		if 2*m < bestMatched || 4*s < bestScore {
			return sorted[:i]
		}
	}
	return sorted
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
// the more so the less else the field says. Spaces are ignored when the
// phrase was typed without them.
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
