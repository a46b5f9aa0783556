package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestServeSite(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>gitdora</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "2026-01"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2026-01", "index.html"), []byte("<h1>January</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- serveSite(ctx, dir, "127.0.0.1:0", &out) }()

	re := regexp.MustCompile(`http://[0-9.:]+/`)
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		base = re.FindString(out.String())
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not say where it listens: %q", out.String())
	}
	for path, want := range map[string]string{"": "<h1>gitdora</h1>", "2026-01/": "<h1>January</h1>"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET /%s = %d %q (Cache-Control %q), want 200 with %q", path, resp.StatusCode, body, resp.Header.Get("Cache-Control"), want)
		}
	}
	resp, err := http.Get(base + "missing.html")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /missing.html = %d, want 404", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve after cancel: %v", err)
	}
}

func TestServeNeedsASite(t *testing.T) {
	err := serveSite(context.Background(), t.TempDir(), "127.0.0.1:0", io.Discard)
	if err == nil || !strings.Contains(err.Error(), "gitdora site") {
		t.Fatalf("serve of an empty folder: %v, want an error saying how to build a site", err)
	}
}

// serve shows the files of its folder and nothing else: a symbolic link
// that leads out of it is not followed, a folder without index.html is
// not listed, and a folder's address without its slash is redirected.
func TestServeStaysInItsFolder(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("s3cr3t"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{"index.html": "<h1>gitdora</h1>", "assets/style.css": "body{}", "2026-01/index.html": "<h1>January</h1>"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"leak.txt":       filepath.Join(outside, "secret.txt"),
		"outside":        outside,
		"up":             "..",
		"style-link.css": "assets/style.css", // inside: fine
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	go serveSite(ctx, dir, "127.0.0.1:0", &out)
	re := regexp.MustCompile(`http://[0-9.:]+/`)
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		base = re.FindString(out.String())
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("serve did not say where it listens: %q", out.String())
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"leak.txt", 404, ""},
		{"outside/secret.txt", 404, ""},
		{"up/", 404, ""},
		{"%2e%2e/secret.txt", 404, ""},
		{"assets/", 404, ""}, // no listing
		{"assets", 301, ""},
		{"2026-01", 301, ""},
		{"2026-01/", 200, "<h1>January</h1>"},
		{"assets/style.css", 200, "body{}"},
		{"style-link.css", 200, "body{}"},
	} {
		resp, err := noRedirect.Get(base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || tc.body != "" && string(body) != tc.body || strings.Contains(string(body), "s3cr3t") || strings.Contains(string(body), "style.css\"") {
			t.Errorf("GET /%s = %d %q, want %d %q", tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
		if tc.status == 301 && resp.Header.Get("Location") != "/"+tc.path+"/" {
			t.Errorf("GET /%s redirects to %q", tc.path, resp.Header.Get("Location"))
		}
	}
}
