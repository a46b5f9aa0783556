// Package notify posts payloads to webhooks (Slack's incoming webhooks and
// anything that takes the same JSON). A webhook URL is a secret: an error
// or a log line this package writes names its scheme and host only, never
// its path, query or user info, and never repeats what the server
// answered (a server may reflect the request), only its status code. The
// URL is sent over HTTPS only (plain HTTP to this machine aside), and the
// redirects a server answers with are not followed.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults of a Webhook.
const (
	DefaultTimeout    = 10 * time.Second
	DefaultRetryDelay = 2 * time.Second
)

// Webhook is where to post, and how patiently.
type Webhook struct {
	URL        string
	Timeout    time.Duration // per attempt; 0 means DefaultTimeout
	RetryDelay time.Duration // before the one retry; 0 means DefaultRetryDelay
	Client     *http.Client  // nil: a client of http.DefaultTransport
	UserAgent  string
}

// Post sends payload as JSON. A failure to connect, a timeout, a 5xx or a
// 429 answer is tried once more after RetryDelay; another answer outside
// 2xx is an error at once. The error says what happened, without the URL.
func (w *Webhook) Post(ctx context.Context, payload []byte) error {
	if err := w.Check(); err != nil {
		return err
	}
	site := w.site()
	timeout, delay := w.Timeout, w.RetryDelay
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if delay <= 0 {
		delay = DefaultRetryDelay
	}
	client := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if w.Client != nil {
		c := *w.Client
		c.CheckRedirect = client.CheckRedirect
		client = &c
	}
	var last error
	for attempt := 1; attempt <= 2; attempt++ {
		if attempt == 2 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("webhook %s: %s; not tried again: %s", site, last, ctx.Err())
			case <-time.After(delay):
			}
		}
		retry, err := w.attempt(ctx, client, timeout, payload)
		if err == nil {
			return nil
		}
		last = err
		if !retry {
			return fmt.Errorf("webhook %s: %w", site, err)
		}
	}
	return fmt.Errorf("webhook %s: %w (tried twice)", site, last)
}

// Check reports whether URL is an https:// URL (or an http:// one to
// this machine), without showing it.
func (w *Webhook) Check() error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("webhook: the URL is not an http:// or https:// URL")
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return fmt.Errorf("webhook %s: refusing to send the URL, a secret, over plain HTTP to another machine; use an https:// URL", w.site())
	}
	return nil
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// site is the scheme and host of the URL: all an error may show of it.
func (w *Webhook) site() string {
	u, err := url.Parse(w.URL)
	if err != nil || u.Host == "" {
		return "(unreadable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// attempt posts once; retry says whether trying again may help.
func (w *Webhook) attempt(ctx context.Context, client *http.Client, timeout time.Duration, payload []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(payload))
	if err != nil {
		return false, errors.New("cannot build the request")
	}
	req.Header.Set("Content-Type", "application/json")
	if w.UserAgent != "" {
		req.Header.Set("User-Agent", w.UserAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return true, fmt.Errorf("no answer within %s", timeout)
		}
		return true, errors.New(failure(err))
	}
	defer resp.Body.Close()
	// The body is read (so the connection can be reused) but never shown,
	// nor the reason phrase of the status line: a server may reflect the
	// request, and with it the secret, in either.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	msg := fmt.Sprintf("the server answered %d", resp.StatusCode)
	if t := http.StatusText(resp.StatusCode); t != "" {
		msg += " " + t
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests, errors.New(msg)
}

// failure says why a request got no answer, from what this machine knows
// (the name lookup, the connection, the certificate), never from what the
// server sent: a malformed answer is only called one.
func failure(err error) string {
	var dns *net.DNSError
	var op *net.OpError
	var errno syscall.Errno
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "cannot resolve the host: no such host"
		}
		return "cannot resolve the host"
	case errors.As(err, &unknownCA):
		return "the server's certificate is signed by an unknown authority"
	case errors.As(err, &hostname):
		return "the server's certificate is not valid for the host"
	case errors.As(err, &invalid):
		return "the server's certificate is not valid"
	case errors.As(err, &record):
		return "the server does not speak TLS"
	case errors.As(err, &op) && op.Op == "dial":
		if errors.As(err, &errno) {
			return "cannot connect: " + errno.Error()
		}
		return "cannot connect"
	case errors.As(err, &errno):
		return "the connection failed: " + errno.Error()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection without an answer"
	}
	return "no usable HTTP answer"
}
