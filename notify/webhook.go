// Package notify posts payloads to webhooks (Slack's incoming webhooks and
// anything that takes the same JSON). A webhook URL is a secret: it never
// appears in an error or a log line this package writes, and the redirects
// a server answers with are not followed.
package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
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
				return fmt.Errorf("webhook: %s; not tried again: %s", last, w.redact(ctx.Err().Error()))
			case <-time.After(delay):
			}
		}
		retry, err := w.attempt(ctx, client, timeout, payload)
		if err == nil {
			return nil
		}
		last = err
		if !retry {
			return fmt.Errorf("webhook: %w", err)
		}
	}
	return fmt.Errorf("webhook: %w (tried twice)", last)
}

// Check reports whether URL is an http(s) URL, without showing it.
func (w *Webhook) Check() error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("webhook: the URL is not an http:// or https:// URL")
	}
	return nil
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
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error names the URL
		}
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return true, fmt.Errorf("no answer within %s", timeout)
		}
		return true, errors.New(w.redact(err.Error()))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	msg := "the server answered " + resp.Status
	if b := strings.Join(strings.Fields(string(body)), " "); b != "" {
		msg += ": " + w.redact(b)
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests, errors.New(msg)
}

// redact removes the URL and its secret parts (user info, path, query)
// from s. The host stays: it says where a connection failed.
func (w *Webhook) redact(s string) string {
	secrets := []string{w.URL}
	if u, err := url.Parse(w.URL); err == nil {
		secrets = append(secrets, u.String(), u.Redacted(), u.EscapedPath(), u.Path, u.RawQuery, u.Fragment)
		if u.User != nil {
			secrets = append(secrets, u.User.String())
		}
	}
	for _, x := range secrets {
		if len(x) > 1 {
			s = strings.ReplaceAll(s, x, "<redacted>")
		}
	}
	return s
}
