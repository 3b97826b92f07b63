package cli

import (
	"context"
	"errors"
	"net/http"
	"os/signal"
	"syscall"
	"time"
)

// shutdownGrace is how long open requests may take to finish once asked to stop.
const shutdownGrace = 5 * time.Second

// serveUntilSignal runs serve (srv.Serve or srv.ServeTLS on its listener) and
// work (the kiosk's or the hub's background jobs) side by side until SIGINT
// or SIGTERM. Then srv finishes its open requests within shutdownGrace, and
// it returns once work has returned too, so the caller's deferred Close never
// pulls the database from under a job. A server that fails stops work as well.
func serveUntilSignal(srv *http.Server, serve func() error, work func(context.Context)) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	go func() { work(ctx); close(done) }()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		_ = srv.Shutdown(shutdown) // past the grace, open connections are cut: nothing more to do
	}()
	err := serve()
	stop() // a server that failed leaves ctx open; end work all the same
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
