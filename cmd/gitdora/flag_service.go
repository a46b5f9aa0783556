package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gitdora/gitdora/data"
)

// serviceFlag is --service of record deployment and record incident.
type serviceFlag struct {
	Service string `placeholder:"NAME" help:"The service of services: in gitdora.yml it belongs to (docs/services.md); omit for the whole repository."`
}

// check returns the service named, checked against gitdora.yml: "" when
// none is named, an error naming the services defined (and the line they
// start at) when it names none of them.
func (f serviceFlag) check(g *Globals, store *data.Store) (string, error) {
	name := strings.TrimSpace(f.Service)
	if name == "" {
		return "", nil
	}
	cfg, err := store.Config(g.Config)
	if err != nil {
		return "", err
	}
	if cfg.Services.Find(name) != nil {
		return name, nil
	}
	if len(cfg.Services) == 0 {
		return "", fmt.Errorf("--service %s: gitdora.yml defines no services (add a services: list, docs/services.md)", strconv.Quote(name))
	}
	return "", fmt.Errorf("--service %s: no such service in gitdora.yml (the services, from line %d, are %s)",
		strconv.Quote(name), cfg.Services[0].Line, strings.Join(cfg.Services.Names(), ", "))
}
