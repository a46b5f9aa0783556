package git

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// trustServer makes the git transport trust srv's TLS certificate (and
// that of every httptest server: they share it) for the test.
func trustServer(t *testing.T, srv *httptest.Server) {
	old := httpTransport
	httpTransport = srv.Client().Transport
	t.Cleanup(func() { httpTransport = old })
}

// withRemote is a repository whose remote name has the URL url.
func withRemote(t *testing.T, name, url string) *Repository {
	g := gittest.New(t)
	g.Git("commit", "-q", "--allow-empty", "-m", "code")
	g.Git("remote", "add", name, url)
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fetch is FetchBranch of the data branch from remote name of r.
func fetch(r *Repository, name string, log *slog.Logger) error {
	rem, err := r.Remote(name)
	if err != nil {
		return err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	_, err = r.FetchBranch(context.Background(), rem, "dora-data", log)
	return err
}

// The HTTPS token goes to the server as basic auth and appears in no
// message, even when the server echoes it back.
func TestTokenNeverPrinted(t *testing.T) {
	const token = "ghs_SECRETtoken123"
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "token %s is not allowed\n", token)
	}))
	defer srv.Close()
	trustServer(t, srv)
	r := withRemote(t, "origin", srv.URL+"/org/repo.git")
	for _, env := range []string{"GITDORA_TOKEN", "GITHUB_TOKEN"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv("GITDORA_TOKEN", "")
			t.Setenv("GITHUB_TOKEN", "")
			t.Setenv(env, token)
			var logs bytes.Buffer
			err := fetch(r, "origin", slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			if err == nil {
				t.Fatal("a fetch from a server that refuses did not fail")
			}
			if strings.Contains(err.Error(), token) || strings.Contains(logs.String(), token) {
				t.Errorf("token printed:\nerr: %v\nlog: %s", err, logs.String())
			}
			if Transient(err) {
				t.Errorf("403 taken for a passing failure: %v", err)
			}
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
			mu.Lock()
			defer mu.Unlock()
			if !slices.Contains(seen, want) {
				t.Errorf("server saw Authorization %q, want %q", seen, want)
			}
			seen = nil
		})
	}
	if got := redact("https://x:"+token+"@h/ "+token, []string{token}); strings.Contains(got, token) {
		t.Errorf("redact = %q", got)
	}
}

// authRecorder is a git server stand-in that records the Authorization
// header of every request and answers 401.
type authRecorder struct {
	mu   sync.Mutex
	auth []string
}

func (a *authRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.auth = append(a.auth, r.Header.Get("Authorization"))
	a.mu.Unlock()
	w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
	w.WriteHeader(http.StatusUnauthorized)
}

func (a *authRecorder) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.auth)
}

// Over a plain http:// remote the token is not sent, not even after a
// 401 (the remote warns that it is not); a URL with a password is refused.
func TestTokenNeverSentOverHTTP(t *testing.T) {
	const token = "ghs_PLAINtoken456"
	rec := &authRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	r := withRemote(t, "origin", srv.URL+"/org/repo.git")
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITDORA_TOKEN", token)
	rem, err := r.Remote("origin")
	if err != nil {
		t.Fatal(err)
	}
	if w := rem.Warning(); !strings.Contains(w, "GITDORA_TOKEN is set but") || strings.Contains(w, token) {
		t.Errorf("warning %q", w)
	}
	if err := fetch(r, "origin", nil); err == nil {
		t.Fatal("a fetch from a server that refuses did not fail")
	}
	if len(rec.seen()) == 0 {
		t.Fatal("the server saw no request")
	}
	for _, a := range rec.seen() {
		if a != "" {
			t.Errorf("the http:// server saw Authorization %q", a)
		}
	}
	withPass := strings.Replace(srv.URL, "http://", "http://me:"+token+"@", 1) + "/org/repo.git"
	n := len(rec.seen())
	r = withRemote(t, "withpass", withPass)
	if err := fetch(r, "withpass", nil); err == nil || !strings.Contains(err.Error(), "use https://") || strings.Contains(err.Error(), token) {
		t.Errorf("a password in an http:// URL: err = %v", err)
	}
	if len(rec.seen()) != n {
		t.Error("the URL with a password was sent a request")
	}
}

// An https remote that redirects to another host gets the token (it is
// the remote named), the host it redirects to never does: with a token,
// the redirect is not followed at all.
func TestTokenNotForwardedOnRedirect(t *testing.T) {
	const token = "ghs_REDIRECTtoken789"
	other := &authRecorder{}
	evil := httptest.NewTLSServer(other)
	defer evil.Close()
	origin := &authRecorder{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin.mu.Lock()
		origin.auth = append(origin.auth, r.Header.Get("Authorization"))
		origin.mu.Unlock()
		http.Redirect(w, r, evil.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	defer srv.Close()
	trustServer(t, srv)
	r := withRemote(t, "origin", srv.URL+"/org/repo.git")
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITDORA_TOKEN", token)
	err := fetch(r, "origin", nil)
	if err == nil || strings.Contains(err.Error(), token) {
		t.Fatalf("err = %v, want a refused redirect that does not print the token", err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	if !slices.Contains(origin.seen(), want) {
		t.Errorf("the remote saw Authorization %q, want the token", origin.seen())
	}
	if n := len(other.seen()); n != 0 || !strings.Contains(err.Error(), "redirected to another host") {
		t.Errorf("the host redirected to got %d requests; err = %v", n, err)
	}
}
