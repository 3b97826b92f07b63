package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
)

// studioTree is what the kiosk preview shows (PreviewTree): "approved" is
// the approved content, a number that change's tree. The key is a hash of
// the tree's paths and file hashes, so a save makes a new preview and an
// unchanged tree reuses the one built.
func (h *Hub) studioTree(ctx context.Context, change string) (string, fs.FS, error) {
	if change == "approved" {
		change = ""
	}
	v, err := h.viewOf(ctx, change)
	var fe *formError
	if errors.As(err, &fe) || errors.Is(err, ErrNoChange) {
		return "", nil, fmt.Errorf("%w: content change %q", fs.ErrNotExist, change)
	}
	if err != nil {
		return "", nil, err
	}
	return treeKey(v.Tree), h.TreeFS(context.WithoutCancel(ctx), v.Tree), nil
}

// treeKey names a tree's content.
func treeKey(t Tree) string {
	sum := sha256.New()
	for _, p := range t.Paths() {
		fmt.Fprintf(sum, "%s\x00%s\x00", p, t[p].SHA256)
	}
	return "tree " + hex.EncodeToString(sum.Sum(nil)[:12])
}
