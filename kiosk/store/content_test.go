package store

import (
	"context"
	"errors"
	"testing"
)

func TestContentTrust(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	see := func(gen int64, digest string) error {
		return s.SeeContentGeneration(ctx, ContentGeneration{Generation: gen, Digest: digest, KeyID: "k", Created: "c", Title: "t"})
	}
	steps := []struct {
		name string
		do   func() error
		want error
	}{
		{"switch to unseen", func() error { _, err := s.SwitchContent(ctx, 5, "a", "usb"); return err }, ErrContentNotSeen},
		{"see 5", func() error { return see(5, "a") }, nil},
		{"see 5 again", func() error { return see(5, "a") }, nil},
		{"see 5 other", func() error { return see(5, "b") }, ErrContentConflict},
		{"switch with other digest", func() error { _, err := s.SwitchContent(ctx, 5, "b", "usb"); return err }, ErrContentConflict},
		{"switch to 5", func() error { _, err := s.SwitchContent(ctx, 5, "a", "usb"); return err }, nil},
		{"switch to 5 again", func() error { _, err := s.SwitchContent(ctx, 5, "a", "usb"); return err }, ErrContentNotNewer},
		{"see 3", func() error { return see(3, "c") }, nil},
		{"switch back to 3", func() error { _, err := s.SwitchContent(ctx, 3, "c", "usb"); return err }, ErrContentNotNewer},
		{"see 7", func() error { return see(7, "d") }, nil},
		{"switch to 7", func() error { _, err := s.SwitchContent(ctx, 7, "d", "usb"); return err }, nil},
		{"roll back to 5", func() error { _, err := s.RollbackContent(ctx); return err }, nil},
		{"roll back to starter", func() error { _, err := s.RollbackContent(ctx); return err }, nil},
		{"roll back past starter", func() error { _, err := s.RollbackContent(ctx); return err }, ErrNothingToRestore},
	}
	for _, st := range steps {
		if err := st.do(); !errors.Is(err, st.want) || (st.want == nil && err != nil) {
			t.Fatalf("%s: err = %v, want %v", st.name, err, st.want)
		}
	}
	state, err := s.ContentState(ctx)
	if err != nil || state.Current != 0 || state.Previous != 0 || state.Highest != 7 {
		t.Fatalf("state = %+v, %v", state, err)
	}
}

func TestContentRejectionsBounded(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range maxContentRejections + 50 {
		if err := s.RecordContentRejection(ctx, ContentRejection{Source: "hub", Generation: int64(i), Kind: "bad_signature", Detail: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := s.RecentContentRejections(ctx, 1000)
	if len(all) != maxContentRejections || all[0].Generation != maxContentRejections+49 {
		t.Fatalf("kept %d, newest %+v", len(all), all[0])
	}
	first, _ := s.UnreportedContentRejections(ctx, 10)
	if err := s.MarkContentRejectionsReported(ctx, first[9].ID); err != nil {
		t.Fatal(err)
	}
	rest, _ := s.UnreportedContentRejections(ctx, 1000)
	if len(rest) != maxContentRejections-10 || rest[0].ID != first[9].ID+1 {
		t.Fatalf("after marking 10: %d unreported, first %+v", len(rest), rest[0])
	}
}
