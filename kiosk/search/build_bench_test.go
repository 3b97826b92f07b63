package search

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkBuild measures building the index of a 5,000-item catalogue, done
// once per content pack on the first search.
func BenchmarkBuild(b *testing.B) {
	docs := catalogue(5000, rand.New(rand.NewPCG(1, 2)))
	for b.Loop() {
		New(docs, benchQualifiers)
	}
}
