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
	"path"
	"strings"
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
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("serve %s: %w", dir, err)
	}
	defer root.Close()
	if fi, err := root.Stat("index.html"); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("serve %s: no index.html there (build a site first: gitdora site --out %s, or gitdora demo)", dir, dir)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           noCache(siteHandler(root)),
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

// siteHandler serves the regular files of root as a static host does: a
// folder is its index.html, or 404 (no listing). Every file is opened
// through root, so a symbolic link that leads out of it is not followed
// (404), and neither is anything but a regular file.
func siteHandler(root *os.Root) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "."
		}
		f, fi, err := openRegular(root, name)
		if err == nil && fi.IsDir() {
			f.Close()
			if !strings.HasSuffix(r.URL.Path, "/") {
				// As a static host does: relative links of the folder's
				// index.html resolve against the folder.
				http.Redirect(w, r, path.Base(r.URL.Path)+"/", http.StatusMovedPermanently)
				return
			}
			f, fi, err = openRegular(root, path.Join(name, "index.html"))
		}
		if err != nil || !fi.Mode().IsRegular() {
			if err == nil {
				f.Close()
			}
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
	})
}

// openRegular opens name in root and says what it is.
func openRegular(root *os.Root, name string) (*os.File, os.FileInfo, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// noCache makes a browser reload what a rebuilt site changed.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}
