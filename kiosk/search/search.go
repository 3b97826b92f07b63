// Package search is the kiosk's one search box over procedures, tutorials and
// life events. It matches what residents type — with or without Vietnamese
// diacritics, with the i/y and kí/ký spelling variants, touch-typing slips
// (query.go), the everyday names of a procedure (aliases and the pack's
// search.yaml) and the words of life events — and ranks the obvious answer
// first (rank.go). An index is built once per content pack and reused.
package search

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Kinds of results.
const (
	KindProcedure = "procedure"
	KindTutorial  = "tutorial"
	KindLifeEvent = "life_event" // opens the life event's procedures
	// KindElsewhere is something residents ask for that the pack does not
	// cover (search.yaml elsewhere: "hộ chiếu"). It is never a result: typed
	// whole, with nothing the pack covers named beside it, the search answers
	// Elsewhere and nothing else, rather than items that share a word with
	// it ("hộ" of hộ khẩu).
	KindElsewhere = "elsewhere"
)

// Answer is what a search found: results, best first; or none, and Elsewhere
// when what was asked for is something the pack lists as not covered here.
type Answer struct {
	Results   []Result
	Elsewhere bool
}

// Result is one hit, in the shape GET /api/search answers (an interface other
// tools rely on).
type Result struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Code  string `json:"code,omitempty"`
	Title string `json:"title"`
	// Fallback is ["title"] when the title is the Vietnamese one, for want of
	// one in the language asked (the screens mark it, as elsewhere).
	Fallback []string `json:"fallback,omitempty"`
}

// Field weights: how much a match in each part of a document counts.
const (
	WeightTitle   = 10 // the plain name residents read
	WeightName    = 8  // the official name
	WeightAlias   = 9  // what residents call it (aliases, search.yaml phrases)
	WeightCode    = 10 // the national code
	WeightEvent   = 6  // a life event's words
	WeightField   = 1  // the lĩnh vực or lesson module (its title lists examples)
	WeightSummary = 2  // one-line descriptions, a lesson step's heading
)

// Doc is one searchable item.
type Doc struct {
	Kind   string
	ID     string
	Code   string
	Titles map[string]string // by language; "vi" is the fallback
	Fields []Field
	// Groups are, for a life event, the procedures it groups: it is offered
	// right after the first of them found, never before it.
	Groups []string
}

// Field is one text of a document and how much it counts.
type Field struct {
	Text   string
	Weight float32
	// Aside marks a text that finds its document without telling how
	// common a word is (a lesson step's heading): the many steps would make
	// "nhập" and "khẩu" common, and "nhập khẩu" would no longer find
	// residence registration first.
	Aside bool
}

// posting says a word occurs in a document, with the weight of the best
// field it occurs in.
type posting struct {
	doc    int32
	weight float32
}

// field is a folded field kept for phrase scoring of the best candidates.
type field struct {
	words  []string
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
	// qualifiers are phrases that narrow a search but find nothing by
	// themselves ("quá hạn", "cho con", "để").
	qualifiers      []*qualifier
	qualifierPhrase map[string]bool // the qualifiers' folded words joined by spaces
	// qualifierWord are the qualifiers' folded words: kept as typed, never
	// mended into another word ("xong" is not a slip for "công").
	qualifierWord map[string]bool
	// elsewhere are the folded phrases of the elsewhere documents: asked
	// for, and not covered by the pack.
	elsewhere [][]string
	// lessonNames are words only lessons carry in their names (an app:
	// "vneid", "zalo"); no procedure or life event is named with them.
	lessonNames map[string]bool
	// tones are each document's words as their tones spell them (toneKey):
	// a word typed with tones matches other tones only as a typo.
	tones   []map[string]bool
	scratch sync.Pool
}

// New builds an index. Documents are kept in the order given, which breaks
// ties in ranking. Qualifiers are phrases that refine what the rest of a
// query found ("muộn", "cho con") without finding anything alone.
func New(docs []Doc, qualifiers []string) *Index {
	ix := &Index{docs: docs, post: map[string][]posting{}, idf: map[string]float32{}, deletes: map[string][]string{},
		qualifierPhrase: map[string]bool{}, qualifierWord: map[string]bool{}}
	for _, q := range qualifiers {
		words, marks := tokens(q), toneWords(q)
		if len(words) == 0 || len(marks) != len(words) {
			continue
		}
		ix.qualifiers = append(ix.qualifiers, &qualifier{words: words, marks: marks})
		ix.qualifierPhrase[strings.Join(words, " ")] = true
		for _, w := range words {
			ix.qualifierWord[w] = true
		}
	}
	df := map[string]int{}
	plain := map[string]bool{} // words as written, not joined neighbours
	lessonTitle, otherName := map[string]bool{}, map[string]bool{}
	seen := map[string]float32{} // per document: word → best field weight
	counted := map[string]bool{} // per document: words counted in df
	counting := 0                // documents counted in df: not asides only
	for d, doc := range docs {
		start := int32(len(ix.fields))
		clear(seen)
		clear(counted)
		tones := map[string]bool{}
		ix.tones = append(ix.tones, tones)
		for _, f := range doc.Fields {
			words := tokens(f.Text)
			if len(words) == 0 {
				continue
			}
			marked := toneWords(f.Text)
			for _, w := range marked {
				tones[w] = true
			}
			if f.Weight >= WeightEvent && len(marked) == len(words) {
				ix.markQualifiersApart(words, marked)
			}
			ix.fields = append(ix.fields, field{words: words, folded: strings.Join(words, " "), joined: strings.Join(words, ""), weight: f.Weight})
			for i, w := range words {
				plain[w] = true
				switch {
				case doc.Kind == KindTutorial && f.Weight == WeightTitle:
					// An app's name is written without Vietnamese marks
					// (VNeID, Zalo); "hằng" of "Dùng VNeID hằng ngày" is
					// everyday Vietnamese, and "hạng" folds like it.
					if len(marked) == len(words) && !toned(marked[i]) {
						lessonTitle[w] = true
					}
				case doc.Kind != KindTutorial && (f.Weight == WeightTitle || f.Weight == WeightName):
					otherName[w] = true
				}
			}
			terms := words
			// Joined neighbours let "khaisinh" find "khai sinh".
			for i := 0; i+1 < len(words); i++ {
				terms = append(terms, words[i]+words[i+1])
			}
			for _, w := range terms {
				if !f.Aside && !counted[w] {
					counted[w] = true
					df[w]++
				}
				if best, ok := seen[w]; !ok || f.Weight > best {
					seen[w] = f.Weight
				}
			}
		}
		for w, weight := range seen {
			ix.post[w] = append(ix.post[w], posting{doc: int32(d), weight: weight})
		}
		if len(counted) > 0 {
			counting++
		}
		ix.docField = append(ix.docField, [2]int32{start, int32(len(ix.fields))})
		if doc.Kind == KindElsewhere && start < int32(len(ix.fields)) {
			ix.elsewhere = append(ix.elsewhere, strings.Fields(ix.fields[start].folded))
		}
	}
	n := float64(counting)
	for w, ps := range ix.post {
		c := df[w]
		if c == 0 {
			c = len(ps) // a word only asides hold
		}
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
	ix.lessonNames = map[string]bool{}
	for w := range lessonTitle {
		if !otherName[w] && len(w) >= 3 {
			ix.lessonNames[w] = true
		}
	}
	ix.scratch.New = func() any {
		return &scratch{scores: make([]docScore, len(docs)), best: make([]float32, len(docs)), firm: make([]bool, len(docs))}
	}
	return ix
}

// markQualifiersApart notes where a name (its words folded, and as marked)
// spells a qualifier with other marks: typed without marks, "de" may be the
// qualifier "để" or "đẻ" (give birth) of a synonym, and "ba" (father) may be
// the "bạ" of "học bạ". A name that is the word alone makes it never a
// qualifier when typed without marks; within a longer name, only where the
// query has the name's neighbouring word beside it (qualifier.apartIn).
func (ix *Index) markQualifiersApart(words, marked []string) {
	for _, q := range ix.qualifiers {
		n := len(q.words)
		for i := 0; i+n <= len(words); i++ {
			if !equalWords(words[i:i+n], q.words) || !otherMarks(marked[i:i+n], q.marks) {
				continue
			}
			if n == len(words) {
				q.apart = true
				continue
			}
			var c beside
			if i > 0 {
				c.before = words[i-1]
			}
			if i+n < len(words) {
				c.after = words[i+n]
			}
			q.beside = append(q.beside, c)
		}
	}
}

// otherMarks reports whether a word of marked is not spelled as in marks.
func otherMarks(marked, marks []string) bool {
	for _, w := range marked {
		if !slices.Contains(marks, w) {
			return true
		}
	}
	return false
}

// Len is the number of documents.
func (ix *Index) Len() int { return len(ix.docs) }

// scratch is one query's working memory, pooled: dense per-document arrays
// are cheaper than maps at catalogue sizes.
type scratch struct {
	scores  []docScore
	best    []float32 // best score of the current query word per document
	firm    []bool    // the current word matched the document as typed or begun, not as a typo
	touched []int32   // documents with a score
	word    []int32   // documents with a best for the current word
	cands   []cand    // ranking buffer
}

type docScore struct {
	score   float32
	refine  float32 // the qualifiers' part of the score
	matched uint32  // bit per query word matched
	typo    uint32  // bit per query word matched only through a typo
}

// weight counts the query words a document matched, leaving out the
// qualifiers: two for each word matched as typed (or begun), one for a word
// matched only by correcting a typo, so that common words the index lacks
// ("ông", "tôi") do not make up a match out of typos.
func (s docScore) weight(soft uint32) int {
	hard := s.matched &^ soft
	return 2*popcount(hard&^s.typo) + popcount(hard&s.typo)
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
	maxScanned    = 64 // words starting with a prefix looked at for the most common
	maxQueryWords = 24 // residents ask in sentences, the need last; masks hold 32
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
		for _, w := range ix.completions(q) {
			add(w, qualityPrefix)
		}
	}
	// A typo: the word with a letter missing, extra, wrong or swapped. Three
	// letters that are no word (nor, typed last, the start of one) are a typo
	// only for a letter missing or two swapped ("snh", "hno"): one wrong
	// letter in so short a word makes another word ("xin" is not "xyz").
	if !exact && len(out) == 0 && len(q) == 3 {
		for _, w := range ix.deletes[q] {
			add(w, qualityTypo)
		}
		for _, w := range ix.deletes[q[:2]] {
			if len(w) == 3 && w[0] == q[0] && w[1] == q[2] && w[2] == q[1] {
				add(w, qualityTypo)
			}
		}
		for _, w := range ix.deletes[q[1:]] {
			if len(w) == 3 && w[0] == q[1] && w[1] == q[0] && w[2] == q[2] {
				add(w, qualityTypo)
			}
		}
	}
	if !exact && len(q) >= 4 {
		for _, w := range ix.slips(q) {
			add(w, qualityTypo)
		}
	}
	return out
}

// slips lists the words of the index one slip from q: a letter missing,
// extra, wrong, or two swapped.
func (ix *Index) slips(q string) []string {
	var out []string
	seen := map[string]bool{q: true}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range ix.deletes[q] {
		add(w) // the query lacks a letter
	}
	for _, del := range deletions(q) {
		if _, ok := ix.post[del]; ok && len(del) >= 3 {
			add(del) // the query has an extra letter
		}
		for _, w := range ix.deletes[del] {
			if osa1(q, w) {
				add(w)
			}
		}
	}
	return out
}

// completions lists the words that start with q. One or two letters start
// too many words to mean much: the few most common of the first ones do, not
// the first in alphabetical order ("ch" is chính or chứng before chà).
func (ix *Index) completions(q string) []string {
	i := sort.SearchStrings(ix.vocab, q)
	j := i
	for j < len(ix.vocab) && j-i < maxScanned && strings.HasPrefix(ix.vocab[j], q) {
		j++
	}
	words := ix.vocab[i:j]
	limit := maxExpansions
	if len(q) <= 2 {
		limit = 8
	}
	if len(words) <= limit {
		return words
	}
	common := append([]string(nil), words...)
	sort.SliceStable(common, func(a, b int) bool { return len(ix.post[common[a]]) > len(ix.post[common[b]]) })
	return common[:limit]
}

// Search returns the best documents for query, best first, titled in lang.
func (ix *Index) Search(query, lang string) []Result {
	return ix.Find(query, lang).Results
}

// Find answers query: the best documents, best first, titled in lang, or
// that what was asked for is covered elsewhere.
func (ix *Index) Find(query, lang string) Answer {
	if len(ix.docs) == 0 {
		return Answer{}
	}
	words, tones, soft := ix.prepare(query)
	if len(words) == 0 {
		return Answer{}
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
	// Each word's matches and what it most likely meant come first: an
	// elsewhere phrase is looked for among the words as meant ("hộ chiu").
	expansions := make([][]match, len(words))
	meant := make([]string, len(words)) // each word as the index knows it, for phrase scoring
	var lost uint32                     // words that match nothing at all
	for qi, q := range words {
		expansions[qi] = ix.expand(q, qi == len(words)-1)
		if len(expansions[qi]) == 0 {
			lost |= 1 << qi
		}
		meant[qi] = ix.likeliest(q, expansions[qi])
	}
	// The words of an elsewhere phrase only order what the others find, as
	// qualifiers do: "sao y hộ chiếu" is certified copies, not the "hộ" of
	// hộ tịch.
	away, elsewhere := ix.elsewhereIn(meant)
	soft |= away
	for qi, q := range words {
		exactIDF, exact := ix.idf[q]
		for _, m := range expansions[qi] {
			idf := ix.idf[m.word]
			if exact && idf > exactIDF {
				idf = exactIDF // a rarer longer word must not outrank the word typed
			}
			for _, p := range ix.post[m.word] {
				quality := m.quality
				if tones[qi] != "" && quality != qualityTypo && !ix.hasTone(p.doc, tones[qi], quality == qualityPrefix) {
					// Typed with other tones: another word ("mật" is not
					// "mất"), or a slip of one mark ("khài sinh"): counted
					// as a typo, so the word as typed goes first.
					quality = qualityTypo
				}
				s := p.weight * quality * idf
				if best[p.doc] == 0 {
					sc.word = append(sc.word, p.doc)
				}
				if s > best[p.doc] {
					best[p.doc] = s
				}
				if quality != qualityTypo {
					sc.firm[p.doc] = true
				}
			}
		}
		for _, d := range sc.word {
			if scores[d].matched == 0 {
				sc.touched = append(sc.touched, d)
			}
			if soft&(1<<qi) != 0 {
				scores[d].refine += best[d]
			} else {
				scores[d].score += best[d]
			}
			scores[d].matched |= 1 << qi
			if !sc.firm[d] {
				scores[d].typo |= 1 << qi
			}
			best[d], sc.firm[d] = 0, false
		}
		sc.word = sc.word[:0]
	}
	return ix.rank(sc, meant, words, soft, lost, elsewhere, lang)
}

// hasTone reports whether document d has the word tk as its tones spell it,
// or, for a word still being typed, a word that begins with it.
func (ix *Index) hasTone(d int32, tk string, prefix bool) bool {
	if ix.tones[d][tk] {
		return true
	}
	if prefix {
		for w := range ix.tones[d] {
			if strings.HasPrefix(w, tk) {
				return true
			}
		}
	}
	return false
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
