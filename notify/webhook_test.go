package notify

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"net"
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
		{"two 503s fail", []int{503}, 2, "the server answered 503 Service Unavailable (tried twice)"},
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

// A server that reflects the request (a segment of the path, the query,
// the Authorization header a URL's user info becomes) in its answer's
// body, its status line or a malformed answer: the error names the URL's
// scheme and host, and none of what the server said.
func TestPostErrorsShowOnlySchemeAndHost(t *testing.T) {
	const token = "s3cr3tT0k3n"
	reflect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "bad: "+strings.ReplaceAll(r.URL.Path, "/", " ")+" "+r.URL.RawQuery+" "+r.Header.Get("Authorization"))
	}))
	t.Cleanup(reflect.Close)
	raw := func(answer func(reqLine string) string) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				line, _ := bufio.NewReader(c).ReadString('\n')
				io.WriteString(c, answer(strings.TrimSpace(line)))
				c.Close()
			}
		}()
		return "http://" + ln.Addr().String()
	}
	segment := func(reqLine string) string { // the last path segment, without the rest
		f := strings.Fields(reqLine)
		if len(f) < 2 {
			return "x"
		}
		p, _, _ := strings.Cut(f[1], "?")
		return p[strings.LastIndex(p, "/")+1:]
	}
	status := raw(func(l string) string {
		return "HTTP/1.1 500 " + segment(l) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
	})
	garbage := raw(func(l string) string { return segment(l) + "\r\n\r\n" }) // malformed HTTP response "s3cr3tT0k3n"
	userURL := strings.Replace(reflect.URL, "http://", "http://hook:pa55w0rd@", 1)
	for _, tc := range []struct{ url, host, want string }{
		{reflect.URL + secretPath + "?key=k3y", reflect.URL, "the server answered 400 Bad Request"},
		{userURL + secretPath, reflect.URL, "the server answered 400 Bad Request"},
		{status + secretPath, status, "the server answered 500 Internal Server Error (tried twice)"},
		{garbage + secretPath, garbage, "webhook " + garbage + ": "},
	} {
		err := (&Webhook{URL: tc.url, Timeout: time.Second, RetryDelay: time.Millisecond}).Post(context.Background(), []byte(`{}`))
		if err == nil {
			t.Errorf("%s: no error", tc.url)
			continue
		}
		if !strings.Contains(err.Error(), "webhook "+tc.host+": ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %q, want one naming %s and saying %q", err, tc.host, tc.want)
		}
		auth := base64.StdEncoding.EncodeToString([]byte("hook:pa55w0rd"))
		for _, s := range []string{token, "T000", "B000", "k3y", "pa55w0rd", auth, "bad:"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error %q shows %q", err, s)
			}
		}
	}
}

// The URL is a secret: it goes over HTTPS, or plain HTTP to this machine
// only.
func TestCheckRefusesPlainHTTPToAnotherMachine(t *testing.T) {
	for _, tc := range []struct{ url, err string }{
		{"https://hooks.example.com" + secretPath, ""},
		{"http://127.0.0.1:8080" + secretPath, ""},
		{"http://[::1]:8080" + secretPath, ""},
		{"http://localhost" + secretPath, ""},
		{"http://hooks.example.com" + secretPath, "webhook http://hooks.example.com: refusing to send the URL, a secret, over plain HTTP to another machine; use an https:// URL"},
		{"http://10.0.0.1:80" + secretPath, "webhook http://10.0.0.1:80: refusing"},
		{"ftp://hooks.example.com" + secretPath, "webhook: the URL is not an http:// or https:// URL"},
	} {
		err := (&Webhook{URL: tc.url}).Check()
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("Check(%s): %v", tc.url, err)
		case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
			t.Errorf("Check(%s) = %v, want %q", tc.url, err, tc.err)
		}
		noURL(t, err, tc.url)
	}
}

// The error is made of this package's own words, never of the URL: no
// part of the URL is cut out of them (a query "cannot" once turned
// "cannot connect" into "<redacted> connect").
func TestPostErrorsKeepTheirWords(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL + "/hook?cannot"
	srv.Close() // connection refused from now on
	err := (&Webhook{URL: u, Timeout: time.Second, RetryDelay: time.Millisecond}).Post(context.Background(), []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), ": cannot connect") {
		t.Errorf("error %v, want one saying it cannot connect", err)
	}
}
