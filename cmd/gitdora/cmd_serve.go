package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gitdora/gitdora/internal/esc"
)

// ServeCmd is `gitdora serve`.
type ServeCmd struct {
	Dir  string `arg:"" default:"public" help:"The built site."`
	Addr string `default:"127.0.0.1:8080" help:"Address to listen on."`
}

// Help shows an example.
func (c *ServeCmd) Help() string {
	return "Example:\n  gitdora serve public --addr 127.0.0.1:8080"
}

// Run serves the site until interrupted.
func (c *ServeCmd) Run(g *Globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveSite(ctx, c.Dir, c.Addr, g.Stdout)
}

// serveSite serves the folder dir on addr until ctx is done, as a static
// host such as GitHub Pages would (index.html for folders), and says where
// on out.
func serveSite(ctx context.Context, dir, addr string, out io.Writer) error {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("serve %s: no index.html there (build a site first: gitdora site --out %s, or gitdora demo)", dir, dir)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           noCache(http.FileServer(http.Dir(dir))),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(out, "Serving %s at http://%s/ (Ctrl-C to stop)\n", esc.Line(dir), ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// noCache makes a browser reload what a rebuilt site changed.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}
