package data

import (
	"errors"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/http"
)

// TokenEnv lists the environment variables an HTTPS token is read from, in order.
var TokenEnv = []string{"GITDORA_TOKEN", "GITHUB_TOKEN"}

// authFor returns how to authenticate to ep and the secrets that must never
// appear in a message. Over HTTPS, a token from GITDORA_TOKEN or
// GITHUB_TOKEN is sent as basic auth with the user x-access-token (what
// GitHub expects of installation and Actions tokens); without one, go-git
// uses credentials in the URL, if any. Over SSH, go-git asks the SSH agent.
func authFor(ep *transport.Endpoint) (transport.AuthMethod, []string) {
	var secrets []string
	if ep.Password != "" {
		secrets = append(secrets, ep.Password)
	}
	if ep.Protocol != "http" && ep.Protocol != "https" {
		return nil, secrets
	}
	for _, name := range TokenEnv {
		if tok := strings.TrimSpace(os.Getenv(name)); tok != "" {
			return &http.BasicAuth{Username: "x-access-token", Password: tok}, append(secrets, tok)
		}
	}
	return nil, secrets
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
