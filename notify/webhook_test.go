package notify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const secretPath = "/services/T000/B000/s3cr3tT0k3n"

// server answers with the statuses in order (the last one from then on);
// status 0 means: hang until the client gives up.
func server(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32, chan []byte) {
	t.Helper()
	var n atomic.Int32
	bodies := make(chan []byte, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if r.Method != http.MethodPost || r.URL.Path != secretPath || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s, Content-Type %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		bodies <- b
		st := statuses[min(i, len(statuses)-1)]
		if st == 0 {
			<-r.Context().Done()
			return
		}
		w.WriteHeader(st)
		io.WriteString(w, "answer "+http.StatusText(st))
	}))
	t.Cleanup(srv.Close)
	return srv, &n, bodies
}

func noURL(t *testing.T, err error, rawURL string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []string{rawURL, secretPath, "s3cr3tT0k3n"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q shows %q", err, s)
		}
	}
}

func TestPostSendsThePayload(t *testing.T) {
	srv, n, bodies := server(t, 200)
	w := &Webhook{URL: srv.URL + secretPath, RetryDelay: time.Millisecond}
	if err := w.Post(context.Background(), []byte(`{"text":"hi"}`)); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 || string(<-bodies) != `{"text":"hi"}` {
		t.Errorf("%d requests", n.Load())
	}
}

func TestPostRetriesOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		requests int32
		wantErr  string // "" for success
	}{
		{"a 500 then a 200 succeeds", []int{500, 200}, 2, ""},
		{"a 429 then a 200 succeeds", []int{429, 204}, 2, ""},
		{"two 503s fail", []int{503}, 2, "the server answered 503 Service Unavailable: answer Service Unavailable (tried twice)"},
		{"a 404 is not tried again", []int{404}, 1, "the server answered 404 Not Found"},
		{"a redirect is not followed", []int{302}, 1, "the server answered 302 Found"},
		{"a timeout is tried again", []int{0}, 2, "no answer within 50ms (tried twice)"},
		{"a timeout then a 200 succeeds", []int{0, 200}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n, _ := server(t, tc.statuses...)
			w := &Webhook{URL: srv.URL + secretPath, Timeout: 50 * time.Millisecond, RetryDelay: time.Millisecond}
			err := w.Post(context.Background(), []byte(`{}`))
			if n.Load() != tc.requests {
				t.Errorf("%d requests, want %d", n.Load(), tc.requests)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
			noURL(t, err, w.URL)
		})
	}
}

func TestPostErrorsNeverShowTheURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	closed := srv.URL + secretPath + "?token=abc"
	srv.Close() // connection refused from now on
	for _, u := range []string{
		closed,
		"https://user:pa55@127.0.0.1:1" + secretPath,
		"ftp://example.com" + secretPath,
		"http://exa mple.com" + secretPath,
		"not a url " + secretPath,
	} {
		err := (&Webhook{URL: u, Timeout: time.Second, RetryDelay: time.Millisecond}).Post(context.Background(), []byte(`{}`))
		if err == nil {
			t.Errorf("no error posting to a bad URL")
			continue
		}
		noURL(t, err, u)
		for _, s := range []string{"pa55", "token=abc"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error %q shows %q", err, s)
			}
		}
	}
}

func TestPostStopsWhenCancelled(t *testing.T) {
	srv, n, _ := server(t, 500)
	ctx, cancel := context.WithCancel(context.Background())
	w := &Webhook{URL: srv.URL + secretPath, RetryDelay: time.Hour}
	go func() {
		for n.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	err := w.Post(ctx, []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), "not tried again") {
		t.Errorf("error %v", err)
	}
	noURL(t, err, w.URL)
}
