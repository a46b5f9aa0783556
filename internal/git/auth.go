package git

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// TokenEnv lists the environment variables an HTTPS token is read from, in order.
var TokenEnv = []string{"GITDORA_TOKEN", "GITHUB_TOKEN"}

// authFor returns how to authenticate to ep and the secrets that must never
// appear in a message. Over HTTPS, a token from GITDORA_TOKEN or
// GITHUB_TOKEN is sent as basic auth with the user x-access-token (what
// GitHub expects of installation and Actions tokens); without one, go-git
// uses credentials in the URL, if any. Over plain HTTP no token is sent
// (warn says so), and a URL with a password is refused. Over SSH, go-git
// asks the SSH agent.
func authFor(ep *transport.Endpoint) (auth transport.AuthMethod, secrets []string, warn string, err error) {
	if ep.Password != "" {
		secrets = append(secrets, ep.Password)
	}
	if ep.Protocol != "http" && ep.Protocol != "https" {
		return nil, secrets, "", nil
	}
	tokenVar := ""
	for _, name := range TokenEnv {
		if tok := strings.TrimSpace(os.Getenv(name)); tok != "" {
			if ep.Protocol == "https" {
				return &githttp.BasicAuth{Username: "x-access-token", Password: tok}, append(secrets, tok), "", nil
			}
			tokenVar = name
			secrets = append(secrets, tok) // not sent, but never printed either
			break
		}
	}
	if ep.Protocol == "http" {
		if ep.Password != "" {
			return nil, secrets, "", fmt.Errorf("%s: the URL holds a password and the remote is plain http://, which would send it in clear; use https://", safeURL(ep))
		}
		if tokenVar != "" {
			warn = fmt.Sprintf("%s is set but %s is plain http://: the token is not sent (tokens go over https:// only)", tokenVar, safeURL(ep))
		}
	}
	return nil, secrets, warn, nil
}

// httpTransport carries gitdora's HTTP(S) git traffic (tests replace it to
// trust their own TLS certificate).
var httpTransport http.RoundTripper = http.DefaultTransport

// newHTTPClient returns the git transport for an http(s) remote. Only
// the first request (the ref advertisement) follows redirects, as git
// does; with credentials, a redirect to another host (or port, or from
// https to http) is refused rather than followed, so a token never goes
// anywhere but the remote it was given for.
func newHTTPClient(withAuth bool) transport.Transport {
	c := &http.Client{
		Transport: httpTransport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) == 0 {
				return nil
			}
			from := via[0].URL
			if from.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("the remote redirected from https:// to %s://; gitdora does not follow it", req.URL.Scheme)
			}
			if withAuth && (!strings.EqualFold(req.URL.Host, from.Host) || req.URL.Scheme != from.Scheme) {
				return fmt.Errorf("the remote redirected to another host (%s); gitdora does not follow a redirect with a token to another host (set the remote's URL to where the repository is now)", req.URL.Host)
			}
			return nil
		},
	}
	return githttp.NewClientWithOptions(c, &githttp.ClientOptions{RedirectPolicy: githttp.FollowInitialRedirects})
}

// redactedError hides secrets in the message of the error it wraps, while
// errors.Is and errors.As still see the original.
type redactedError struct {
	err     error
	secrets []string
}

func (e *redactedError) Error() string { return strings.TrimSpace(redact(e.err.Error(), e.secrets)) }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr wraps err so that no secret appears in its message.
func redactErr(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	var r *redactedError
	if errors.As(err, &r) {
		return err
	}
	return &redactedError{err: err, secrets: secrets}
}

func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// safeURL names ep for messages, without user info.
func safeURL(ep *transport.Endpoint) string {
	c := *ep
	c.User, c.Password = "", ""
	return c.String()
}
