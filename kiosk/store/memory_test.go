package store

import (
	"context"
	"testing"
)

// A store in memory has the whole schema and leaves nothing behind: a second
// one starts empty.
func TestOpenMemory(t *testing.T) {
	ctx := context.Background()
	a, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.SetMeta(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, err := a.Meta(ctx, "k"); err != nil || v != "v" {
		t.Fatalf("meta in memory: %q, %v", v, err)
	}
	b, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if v, _ := b.Meta(ctx, "k"); v != "" {
		t.Fatalf("a second store in memory sees the first one's meta %q", v)
	}
	if a.Dir != "" {
		t.Fatalf("a store in memory has a data directory %q", a.Dir)
	}
}
